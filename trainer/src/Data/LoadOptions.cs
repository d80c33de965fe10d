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

    /// <summary>
    /// Sanity limit on the data file (and on a gzip file's text): a larger file is refused before it is read,
    /// naming the limit and --max-file-size. The default, 32 GiB, is about 270 million rows of 16 features
    /// (a month of one board at 10 Hz is 26 million rows, 3.1 GB of CSV).
    /// </summary>
    public long MaxFileBytes = DefaultMaxFileBytes;

    public const long DefaultMaxFileBytes = 32L << 30;

    /// <summary>
    /// Files larger than this (bytes on disk) are streamed into the memory-mapped row store (a cache file
    /// beside the data, see <see cref="RowStore"/>) instead of being held as rows in memory; 0 = always.
    /// </summary>
    public long StoreAboveBytes = DefaultStoreAboveBytes;

    public const long DefaultStoreAboveBytes = 64L << 20;

    /// <summary>Where the row store goes when the data's folder is not writable; null = <see cref="RowStore.DefaultCacheFolder"/>.</summary>
    public string CacheFolder;

    internal const string RaiseLimit = "raise the limit with --max-file-size (docs/cli.md)";

    /// <summary>"34,359,738,368 bytes (32 GiB)".</summary>
    internal static string Describe(long bytes) =>
        $"{bytes:N0} bytes" + (bytes >= 1L << 30 ? $" ({bytes / (double)(1L << 30):0.#} GiB)" : bytes >= 1L << 20 ? $" ({bytes / (double)(1L << 20):0.#} MiB)" : "");

    /// <summary>A byte count as the command line writes it: 5000000, 64M, 32G (binary units K, M, G, T); null when it is none.</summary>
    public static long? ParseSize(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        long unit = char.ToUpperInvariant(text[^1]) switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, 'T' => 1L << 40, _ => 1 };
        string digits = unit == 1 ? text : text[..^1];
        if (!long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long n)) return null;
        try
        {
            return checked(n * unit);
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    /// <summary>Test-side file of a split: fewer classes than training is fine (checked against training later).</summary>
    internal bool TestSide;

    public LoadOptions Clone() => (LoadOptions)MemberwiseClone();
}
