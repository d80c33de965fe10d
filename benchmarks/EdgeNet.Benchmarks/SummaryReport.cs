using System.Globalization;
using System.Text.Json.Nodes;

namespace EdgeNet.Benchmarks;

/// <summary>Builds results/SUMMARY.md (the README's table) from the other results' JSON files.</summary>
public static class SummaryReport
{
    private static string F(double v, string format = "0.0") => v.ToString(format, CultureInfo.InvariantCulture);

    public static void Run()
    {
        var rows = new List<string[]>();
        var dates = new List<string>();

        JsonObject training = Results.Read("training");
        if (training != null)
        {
            dates.Add("training " + training["machine"]!["date_utc"]);
            foreach (JsonNode row in training["summary"]!.AsArray())
            {
                rows.Add([(string)row["figure"], (string)row["value"], (string)row["target"], (string)row["status"]]);
            }
        }
        else
        {
            rows.Add(["training throughput vs FANN", "not measured (run `bash benchmarks/run.sh training`)", ">= 3x on the demo network, >= 1x on every shape", "not measured"]);
        }

        JsonObject inference = Results.Read("inference");
        if (inference != null)
        {
            dates.Add("inference " + inference["machine"]!["date_utc"]);
            foreach (JsonNode c in inference["cases"]!.AsArray())
            {
                string name = (string)c["name"];
                double allocated = (double)c["allocated_bytes_per_op_exact"];
                rows.Add([$"CoreCLR {name} ({(long)c["macs"]} MACs)",
                    $"{F((double)c["ns_mean"] / 1000, "0.00")} µs, {F((double)c["macs_per_second"] / 1e6, "0")} MMAC/s, {F(allocated, "0.###")} B allocated",
                    "0 B allocated per inference", allocated == 0 ? "met" : "missed"]);
            }
        }

        JsonObject device = Results.Read("device");
        if (device != null)
        {
            dates.Add("device " + device["machine"]!["date_utc"]);
            var il = device["il_per_mac"]!.AsObject();
            double ceiling = (double)il["ceiling (plain int8 dot loop)"]!["il_per_mac"];
            foreach (var (name, v) in il)
            {
                if (name.StartsWith("ceiling")) continue;
                double ratio = (double)v!["estimated_interpreter_ratio"];
                rows.Add([$"interpreter: {name} IL instructions per MAC (ceiling loop {F(ceiling, "0.##")})",
                    $"{F((double)v["il_per_mac"], "0.##")}, estimated ratio to ceiling {F(ratio, "0.00")}",
                    "ratio >= 0.8 on the interpreter", (ratio >= 0.8 ? "met (estimate from IL counts" : "missed (estimate from IL counts") + "; not measured on a board)"]);
            }
            foreach (JsonNode c in device["cases"]!.AsArray())
            {
                if ((string)c["case"] == "fc.optimized" && (string)c["shape"] == "32x36")
                    rows.Add(["device app on CoreCLR: optimized kernel / ceiling loop, demo hidden layer 32x36", (string)c["ratio"], "(CI keeps it running; JIT, not interpreter)", "info"]);
                if ((string)c["case"] == "model.demo")
                    rows.Add(["device app on CoreCLR: demo model per inference", (string)c["us_per_inference"] + " µs", "(interpreter figure: run the app on a board)", "info"]);
            }
        }

        JsonObject memory = Results.Read("memory");
        if (memory != null)
        {
            dates.Add("memory " + memory["machine"]!["date_utc"]);
            foreach (JsonNode m in memory["models"]!.AsArray())
            {
                string name = (string)m["model"];
                bool met = (bool)m["overhead_target_met"];
                rows.Add([$"model file {name}",
                    $"{(int)m["file_bytes"]} B file = {(int)m["parameter_bytes"]} B parameters + {(int)m["name_bytes"]} B names + {(int)m["overhead_bytes"]} B overhead; arena {(int)m["arena_bytes"]} B; {(long)m["coreclr_bytes_retained_after_load"]} B managed held after load (CoreCLR)",
                    $"overhead <= {(int)m["allowed_overhead_bytes"]} B", met ? "met" : "missed"]);
            }
            JsonObject firmware = memory["firmware"] as JsonObject;
            if (firmware != null) rows.Add([(string)firmware["figure"], (string)firmware["value"], "(reported)", "info"]);
        }

        string md = "# Benchmark summary\n\nProduced by `bash benchmarks/run.sh` (details in the other files of benchmarks/results/). " +
                    "Machine: 2 shared cores, so absolute times are noisy; ratios are measured in the same run.\n" +
                    "Runs: " + string.Join("; ", dates) + ".\n\n" +
                    Results.Table(["figure", "measured", "target", "status"], rows);
        Directory.CreateDirectory(Results.Folder);
        File.WriteAllText(Path.Combine(Results.Folder, "SUMMARY.md"), md);
        Console.WriteLine("wrote benchmarks/results/SUMMARY.md");
        Console.Write(md);
    }
}
