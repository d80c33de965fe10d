namespace EdgeNet.Benchmarks;

/// <summary>edgenet-bench MODE [options]: the driver behind benchmarks/run.sh.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string mode = args.Length > 0 ? args[0] : "help";
        switch (mode)
        {
            case "device":
                DeviceReport.Run(args.Length > 1 ? int.Parse(args[1]) : 5_000_000);
                return 0;
            case "native":
                NativeReport.Run();
                return 0;
            case "inference":
                return InferenceReport.Run();
            case "allocations":
                foreach (var (name, bytes) in InferenceReport.ExactAllocations()) Console.WriteLine($"{name}: {bytes} B per call");
                return 0;
            case "memory":
                MemoryReport.Run();
                return 0;
            case "training":
                TrainingReport.Run(args.Skip(1).ToArray());
                return 0;
            case "scale":
                ScaleReport.Run(args.Skip(1).ToArray());
                return 0;
            case "scale-child":
                return ScaleReport.ChildMain(args.Skip(1).ToArray());
            case "stamp":
                Results.StampMarkdown(args[1]);
                return 0;
            case "summary":
                SummaryReport.Run();
                return 0;
            default:
                Console.Error.WriteLine("usage: edgenet-bench device [macBudget] | native | inference | allocations | memory | training [--repeats N] [--only demo] | scale [--sizes 1M,3M,10M,30M] | summary | stamp FILE.md");
                return 2;
        }
    }
}
