using System.CommandLine;
using EdgeNet.Trainer.Commands;

namespace EdgeNet.Trainer;

/// <summary>
/// The <c>edgenet</c> command line. Each command lives in its own file under Commands/ and exposes
/// <c>public static Command Create()</c>; adding a command is one line in <see cref="Commands"/>.
/// </summary>
public static class Program
{
    public static IEnumerable<Command> Commands()
    {
        yield return TrainCommand.Create();
        yield return QuantizeCommand.Create();
        yield return EvaluateCommand.Create();
        yield return SimulateCommand.Create();
        yield return DemoCommand.Create();
        yield return BenchCommand.Create();
        yield return DeployCommand.Create();
        yield return MonitorCommand.Create();
        yield return ConfigCommand.Create();
        yield return DumpCommand.Create();
        yield return RecordCommand.Create();
        yield return ExportReplayCommand.Create();
        yield return GoldenCommand.Create();
        yield return FuzzCommand.Create();
        yield return FleetCommand.Create();
    }

    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("edgenet: train neural networks on sensor data, quantize them to int8 and run them on microcontrollers.");
        foreach (Command command in Commands()) root.Subcommands.Add(command);
        return root;
    }

    public static int Main(string[] args)
    {
        int code = Cli.Run(CreateRoot(), args);
        // EDGENET_PEAK_MEMORY=1: the process's peak resident set on stderr at exit (the memory-bound test of the row store).
        if (Environment.GetEnvironmentVariable("EDGENET_PEAK_MEMORY") == "1" && File.Exists("/proc/self/status"))
        {
            string hwm = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (hwm != null) Console.Error.WriteLine("peak memory: " + hwm[6..].Trim());
        }
        return code;
    }
}
