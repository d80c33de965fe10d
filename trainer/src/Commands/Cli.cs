using System.CommandLine;
using EdgeNet.Trainer.Data;
using Spectre.Console;

namespace EdgeNet.Trainer.Commands;

/// <summary>Process exit codes of every command.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>Bad input: a data file, model file or option value that cannot be used.</summary>
    public const int BadInput = 1;
    /// <summary>The command line itself does not parse (unknown option, missing argument).</summary>
    public const int Usage = 2;
    /// <summary>The command ran but a check it exists for failed (e.g. device and desktop disagree).</summary>
    public const int CheckFailed = 3;
}

/// <summary>An expected failure with a one-line message for the user (no stack trace).</summary>
public sealed class CliException(string message, int exitCode = ExitCodes.BadInput) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>
/// Runs a command line with the console of the current flow, turning every failure into one line on
/// stderr and an exit code. Tests run commands in-process with their own console (<see cref="Run(RootCommand, string[], IAnsiConsole, TextWriter)"/>).
/// </summary>
public static class Cli
{
    private static readonly AsyncLocal<IAnsiConsole> CurrentOut = new();
    private static readonly AsyncLocal<TextWriter> CurrentError = new();

    /// <summary>Where commands write tables, progress and results.</summary>
    public static IAnsiConsole Out => CurrentOut.Value ?? AnsiConsole.Console;

    /// <summary>Where one-line error messages go.</summary>
    public static TextWriter Error => CurrentError.Value ?? Console.Error;

    /// <summary>True when output goes to a terminal that can animate progress bars.</summary>
    public static bool Interactive => Out.Profile.Capabilities.Interactive;

    public static int Run(RootCommand root, string[] args) => Run(root, args, null, null);

    public static int Run(RootCommand root, string[] args, IAnsiConsole output, TextWriter error)
    {
        IAnsiConsole previousOut = CurrentOut.Value;
        TextWriter previousError = CurrentError.Value;
        if (output != null) CurrentOut.Value = output;
        if (error != null) CurrentError.Value = error;
        try
        {
            ParseResult parsed = root.Parse(args);
            if (parsed.Errors.Count > 0)
            {
                foreach (string message in parsed.Errors.Select(e => OneLine(e.Message)).Distinct()) Error.WriteLine("error: " + message);
                Error.WriteLine("Run 'edgenet " + parsed.CommandResult.Command.Name + " --help' for usage.");
                return ExitCodes.Usage;
            }
            var config = new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                Output = output != null ? new AnsiWriter(output) : Console.Out,
                Error = Error,
            };
            return parsed.Invoke(config);
        }
        catch (Exception e)
        {
            (string message, int code) = Describe(e);
            Error.WriteLine("error: " + OneLine(message));
            return code;
        }
        finally
        {
            CurrentOut.Value = previousOut;
            CurrentError.Value = previousError;
        }
    }

    private static string OneLine(string message) =>
        string.Join(" ", message.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>The one-line message and exit code for a failure.</summary>
    public static (string Message, int Code) Describe(Exception e)
    {
        switch (e)
        {
            case CliException c: return (c.Message, c.ExitCode);
            case DataException d: return (d.Message, ExitCodes.BadInput); // names file, line and column
            case FileNotFoundException f: return ((f.FileName ?? "file") + ": file not found", ExitCodes.BadInput);
            case DirectoryNotFoundException dn: return (dn.Message, ExitCodes.BadInput);
            case UnauthorizedAccessException u: return (u.Message, ExitCodes.BadInput);
            case IOException io: return (io.Message, ExitCodes.BadInput);
            case InvalidDataException inv: return (inv.Message, ExitCodes.BadInput);
            case FormatException fe: return (fe.Message, ExitCodes.BadInput);
            case ArgumentException a: return (a.Message, ExitCodes.BadInput);
            case AggregateException ag when ag.InnerExceptions.Count == 1: return Describe(ag.InnerException);
            default: return (e.GetType().Name + ": " + e.Message, ExitCodes.BadInput);
        }
    }

    /// <summary>System.CommandLine's own output (help text) routed to a Spectre console.</summary>
    private sealed class AnsiWriter(IAnsiConsole console) : StringWriter
    {
        public override void Write(char value) => console.Profile.Out.Writer.Write(value);
        public override void Write(string value) => console.Profile.Out.Writer.Write(value);
        public override void WriteLine(string value) => console.Profile.Out.Writer.WriteLine(value);
    }
}
