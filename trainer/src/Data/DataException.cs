namespace EdgeNet.Trainer.Data;

/// <summary>
/// Bad input data: the message names the file, the 1-based line (0 = the file as a whole) and the column,
/// so the user can open the file at the right place.
/// </summary>
public sealed class DataException : Exception
{
    public DataException(string file, int line, string column, string problem)
        : base(Describe(file, line, column, problem))
    {
        File = file;
        Line = line;
        Column = column;
        Problem = problem;
    }

    public string File { get; }
    public int Line { get; }
    public string Column { get; }

    /// <summary>The problem alone, without the location.</summary>
    public string Problem { get; }

    private static string Describe(string file, int line, string column, string problem)
    {
        string where = file ?? "(data)";
        if (line > 0) where += $", line {line}";
        if (!string.IsNullOrEmpty(column)) where += $", column '{column}'";
        return $"{where}: {problem}";
    }
}
