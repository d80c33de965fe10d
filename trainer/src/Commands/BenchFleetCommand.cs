using System.CommandLine;
using EdgeNet.Trainer.Device;
using EdgeNet.Trainer.Fleet;
using EdgeNet.Trainer.Fleet.Simulation;
using EdgeNet.Trainer.Output;
using Spectre.Console;

namespace EdgeNet.Trainer.Commands;

/// <summary><c>edgenet bench fleet</c>: the fleet scale and fault run against a local mosquitto; writes PATH.md and PATH.json.</summary>
public static class BenchFleetCommand
{
    public static Command Create()
    {
        var devices = new Option<int>("--devices") { Description = "Simulated devices", DefaultValueFactory = _ => 200 };
        var groups = new Option<int>("--groups") { Description = "Groups (the last one cannot bind the new model)", DefaultValueFactory = _ => 4 };
        var threads = new Option<int>("--poll-threads") { Description = "Threads running the devices' main loops", DefaultValueFactory = _ => 2 };
        var output = new Option<string>("--out", "-o") { Description = "Result files to write: PATH.md and PATH.json", DefaultValueFactory = _ => "benchmarks/results/fleet" };
        var command = new Command("fleet", "Staged signed rollouts to many simulated devices over one local mosquitto, with broker restart, disconnects, reboots, duplicated, delayed and corrupted messages");
        foreach (Option o in new Option[] { devices, groups, threads, output }) command.Options.Add(o);
        command.SetAction(parsed =>
        {
            if (parsed.GetValue(devices) < parsed.GetValue(groups) || parsed.GetValue(groups) < 2) throw new CliException("--groups must be at least 2 and --devices at least --groups", ExitCodes.Usage);
            if (!MosquittoBroker.Available()) throw new CliException("mosquitto and mosquitto_passwd are needed (apt-get install mosquitto)");
            string prefix = parsed.GetValue(output);
            using var outputs = new OutputSet();
            outputs.Add("--out", prefix + ".md");
            outputs.Add("--out", prefix + ".json");
            outputs.Check();
            var r = FleetBench.Run(DeviceAssembly.Default, new FleetBenchOptions(parsed.GetValue(devices), parsed.GetValue(groups), PollThreads: parsed.GetValue(threads)), line => Cli.Out.WriteLine(line));
            string md = FleetBench.Markdown(r);
            Cli.Out.WriteLine(md);
            BenchOutputs.WritePrefixed(outputs, prefix, staged =>
            {
                File.WriteAllText(staged + ".md", md);
                File.WriteAllText(staged + ".json", r.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
            });
            Cli.Out.WriteLine($"Wrote {prefix}.md and .json");
            return ExitCodes.Ok;
        });
        return command;
    }
}
