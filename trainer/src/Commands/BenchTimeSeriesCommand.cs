using System.CommandLine;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.NetworkTypes;

namespace EdgeNet.Trainer.Commands;

/// <summary>`edgenet bench timeseries`: every network type on the room-occupancy streams, float vs int8.</summary>
public static class BenchTimeSeriesCommand
{
    public static Command Create()
    {
        var datasets = new Option<string>("--datasets") { Description = "folder holding the datasets (room_occupancy_estimation/...)", DefaultValueFactory = _ => Splits.DefaultDatasetsFolder };
        var window = new Option<int>("--window") { Description = "readings per window / BPTT sequence", DefaultValueFactory = _ => 8 };
        var epochs = new Option<int>("--epochs") { Description = "training epochs per network", DefaultValueFactory = _ => 12 };
        var seed = new Option<int>("--seed") { Description = "random seed", DefaultValueFactory = _ => 1 };
        var only = new Option<string[]>("--only") { Description = "run only these networks (e.g. cnn-maxpool rnn-direct)", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--output") { Description = "folder for timeseries.md and timeseries.json", DefaultValueFactory = _ => "benchmarks/results" };
        var command = new Command("timeseries", "Time-series benchmark: MLP, CNN and every recurrent kind on room-occupancy streams, float vs int8")
        {
            datasets, window, epochs, seed, only, output,
        };
        command.SetAction(parse =>
        {
            string folder = parse.GetValue(datasets);
            int w = parse.GetValue(window), e = parse.GetValue(epochs), s = parse.GetValue(seed);
            if (w < 1 || w > 64) { Console.Error.WriteLine("--window must be in 1..64"); return 2; }
            if (e < 1) { Console.Error.WriteLine("--epochs must be positive"); return 2; }
            try
            {
                var results = TimeSeriesBenchmark.Run(folder, w, e, s, parse.GetValue(only), Console.WriteLine);
                (Dataset train, Dataset test) = Splits.Benchmark(TimeSeriesBenchmark.BenchmarkId, folder);
                string outFolder = parse.GetValue(output);
                TimeSeriesBenchmark.Write(outFolder, results, w, e, s, train.Count, test.Count);
                Console.WriteLine($"wrote {Path.Combine(outFolder, "timeseries.md")} and timeseries.json");
                return 0;
            }
            catch (DataException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 1;
            }
        });
        return command;
    }
}
