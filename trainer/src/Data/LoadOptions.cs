namespace EdgeNet.Trainer.Data;

/// <summary>Which columns of a file are the label and the features, and what to do with awkward cells.</summary>
public sealed class LoadOptions
{
    /// <summary>The class column; null = the last column.</summary>
    public string LabelColumn;

    /// <summary>Feature columns in this order; null = every other column that holds numbers.</summary>
    public string[] FeatureColumns;

    /// <summary>Columns never used as features (kept as text for splits).</summary>
    public string[] DropColumns;

    /// <summary>
    /// The class labels in this order (a model's classes); null = taken from the data (ARFF: as declared;
    /// otherwise sorted, numerically when every label is a number). A listed class may have no rows; a row
    /// whose label is not listed (nor numerically equal to a listed one) is an error.
    /// </summary>
    public string[] ClassLabels;

    /// <summary>
    /// Rows without a class column (to run a model on them): no label is read, every row gets class 0 of a
    /// single class "?". LabelColumn is ignored.
    /// </summary>
    public bool Unlabeled;

    /// <summary>Dataset name; null = the file name without extension.</summary>
    public string Name;

    /// <summary>What a missing feature value ('?', empty, NA) does: stop the load (default), drop the row, or
    /// stay NaN until <see cref="MissingValues"/> fills it from the training rows.</summary>
    public MissingPolicy Missing = MissingPolicy.Error;

    /// <summary>Fill values known already (a model's): missing cells are filled at load.</summary>
    public MissingValues Fill;

    /// <summary>More distinct label values than this is refused as "looks like a measurement".</summary>
    public int MaxClasses = DefaultMaxClasses;

    public const int DefaultMaxClasses = 64;

    /// <summary>Test-side file of a split: fewer classes than training is fine (checked against training later).</summary>
    internal bool TestSide;

    public LoadOptions Clone() => (LoadOptions)MemberwiseClone();
}
