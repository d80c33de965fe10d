namespace EdgeNet.Trainer.Data;

/// <summary>Which columns of a file are the label and the features.</summary>
public sealed class LoadOptions
{
    /// <summary>The class column; null = the last column.</summary>
    public string LabelColumn;

    /// <summary>Feature columns in this order; null = every other column that holds numbers.</summary>
    public string[] FeatureColumns;

    /// <summary>Columns never used as features (kept as text for splits).</summary>
    public string[] DropColumns;

    /// <summary>
    /// The class labels in this order; null = taken from the data (ARFF: as declared; otherwise sorted,
    /// numerically when every label is a number). A listed class without rows is an error.
    /// </summary>
    public string[] ClassLabels;

    /// <summary>
    /// Rows without a class column (to run a model on them): no label is read, every row gets class 0 of a
    /// single class "?". LabelColumn is ignored.
    /// </summary>
    public bool Unlabeled;

    /// <summary>Dataset name; null = the file name without extension.</summary>
    public string Name;

    /// <summary>Test-side file of a split: fewer classes than training is fine (checked against training later).</summary>
    internal bool TestSide;
}
