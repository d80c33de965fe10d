using System.CommandLine;
using System.Globalization;
using EdgeNet.Format;
using EdgeNet.Link;
using EdgeNet.Trainer.Device;
using EdgeNet.Trainer.Fleet;
using Spectre.Console;

namespace EdgeNet.Trainer.Commands;

/// <summary>
/// `edgenet fleet status|deploy|rollback|config push`: many devices through an MQTT broker (docs/fleet.md).
/// The broker connection is TLS with a CA file unless --no-tls; the password comes from an environment
/// variable, never the command line; the fleet key from a file of hex digits.
/// </summary>
public static class FleetCommand
{
    public static Command Create()
    {
        var fleet = new Command("fleet", "Status, staged rollout, rollback and configuration of many devices over an MQTT broker");
        fleet.Subcommands.Add(Status());
        fleet.Subcommands.Add(Deploy());
        fleet.Subcommands.Add(Rollback());
        var config = new Command("config", "Board configuration for many devices");
        config.Subcommands.Add(ConfigPush());
        fleet.Subcommands.Add(config);
        return fleet;
    }

    private sealed class Connection
    {
        public readonly Option<string> Broker = new("--broker") { Description = "Broker host[:port] (port 8883 with TLS, 1883 without)", DefaultValueFactory = _ => "localhost" };
        public readonly Option<string> User = new("--user") { Description = "Broker user of the operator", DefaultValueFactory = _ => "operator" };
        public readonly Option<string> PasswordEnv = new("--password-env") { Description = "Environment variable holding the broker password", DefaultValueFactory = _ => "EDGENET_MQTT_PASSWORD" };
        public readonly Option<FileInfo> Ca = new("--ca") { Description = "CA certificate (PEM) that signed the broker's certificate" };
        public readonly Option<bool> NoTls = new("--no-tls") { Description = "Plain TCP (only for a broker on loopback)" };

        public void AddTo(Command c)
        {
            c.Options.Add(Broker); c.Options.Add(User); c.Options.Add(PasswordEnv); c.Options.Add(Ca); c.Options.Add(NoTls);
        }

        public MqttSettings Settings(ParseResult p)
        {
            bool tls = !p.GetValue(NoTls);
            string broker = p.GetValue(Broker);
            int port = tls ? 8883 : 1883;
            int colon = broker.LastIndexOf(':');
            if (colon > 0)
            {
                if (!int.TryParse(broker[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
                    throw new CliException($"--broker {broker}: the port is not a number in 1..65535", ExitCodes.Usage);
                broker = broker[..colon];
            }
            FileInfo ca = p.GetValue(Ca);
            if (ca != null && !ca.Exists) throw new CliException($"{ca.FullName}: file not found");
            return new MqttSettings(broker, port, p.GetValue(User), Environment.GetEnvironmentVariable(p.GetValue(PasswordEnv)), tls, ca?.FullName);
        }

        public FleetHost Connect(ParseResult p)
        {
            FleetHost host = DeployCommand.Device(() => FleetHost.ConnectAsync(Settings(p), "edgenet-" + Environment.ProcessId).GetAwaiter().GetResult());
            host.SettleAsync().GetAwaiter().GetResult();
            return host;
        }
    }

    private static Option<FileInfo> KeyOption() => new("--key") { Description = "Fleet key file (hex digits, as in board.cfg 'fleet key=...'); needed by boards that have a key" };
    private static Option<DirectoryInfo> StateOption() => new("--state") { Description = "Folder where deploy keeps the previous models and the last rollout, for rollback", DefaultValueFactory = _ => new DirectoryInfo("edgenet-fleet") };

    /// <summary>The fleet key from its file: hex digits, whitespace ignored; the key itself is never printed.</summary>
    public static byte[] ReadKey(FileInfo file)
    {
        if (file == null) return null;
        if (!file.Exists) throw new CliException($"{file.FullName}: file not found");
        string text = new string(File.ReadAllText(file.FullName).Where(c => !char.IsWhiteSpace(c)).ToArray());
        return Security.FileSignature.ParseKey(text)
            ?? throw new CliException($"{file.FullName}: not a fleet key ({2 * Security.FileSignature.MinKeyBytes} to {2 * Security.FileSignature.MaxKeyBytes} hex digits)");
    }

    private static Command Status()
    {
        var conn = new Connection();
        var watch = new Option<bool>("--watch", "-w") { Description = "Keep the table up to date until Ctrl+C" };
        var group = new Option<string>("--group") { Description = "Only this group" };
        var command = new Command("status", "A table of the devices' retained status messages");
        conn.AddTo(command);
        command.Options.Add(watch);
        command.Options.Add(group);
        command.SetAction(parse =>
        {
            using FleetHost host = conn.Connect(parse);
            string g = parse.GetValue(group);
            if (!parse.GetValue(watch))
            {
                Cli.Out.Write(Table(host, g));
                return ExitCodes.Ok;
            }
            using var stop = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; stop.Cancel(); };
            Console.CancelKeyPress += onCancel;
            try
            {
                Cli.Out.Live(Table(host, g)).Start(ctx =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        ctx.UpdateTarget(Table(host, g));
                        stop.Token.WaitHandle.WaitOne(1000);
                    }
                });
            }
            finally { Console.CancelKeyPress -= onCancel; }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The status table (one row per device, by name).</summary>
    public static Table Table(FleetHost host, string group)
    {
        var t = new Table().AddColumns("device", "group", "model", "crc", "format", "firmware", "uptime", "free", "classified", "updates", "failures", "last error");
        foreach (DeviceStatus s in host.Statuses.Values.Where(s => group == null || s.Group == group).OrderBy(s => s.Device, StringComparer.Ordinal))
        {
            t.AddRow(Markup.Escape(s.Device), Markup.Escape(s.Group ?? "-"), Markup.Escape(s.Model ?? "(none)"), s.Crc is uint c ? $"{c:X8}" : "-", s.Format.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(s.Firmware ?? "?"), TimeSpan.FromMilliseconds(Math.Max(0, s.UptimeMs)).ToString(@"d\.hh\:mm\:ss", CultureInfo.InvariantCulture),
                s.FreeBytes < 0 ? "?" : s.FreeBytes.ToString(CultureInfo.InvariantCulture), s.Classifications.ToString(CultureInfo.InvariantCulture),
                s.Updates.ToString(CultureInfo.InvariantCulture), s.Failures.ToString(CultureInfo.InvariantCulture), Markup.Escape(s.LastError ?? ""));
        }
        return t;
    }

    private static Command Deploy()
    {
        var conn = new Connection();
        var model = new Argument<FileInfo>("model") { Description = "The .enet model to roll out" };
        var group = new Option<string>("--group") { Description = "Group to roll out to", Required = true };
        var canary = new Option<string>("--canary") { Description = "Share of the group updated first (5%, 0.05); at least one device", DefaultValueFactory = _ => "5%" };
        var health = new Option<string>("--health") { Description = "How long each stage's devices get to report the new CRC and classify (60s, 2m)", DefaultValueFactory = _ => "60s" };
        var maxFailures = new Option<int>("--max-failures") { Description = "The rollout halts and rolls back when more devices than this fail in a stage", DefaultValueFactory = _ => 1 };
        var parallel = new Option<int>("--parallel") { Description = "Devices updated at the same time", DefaultValueFactory = _ => 16 };
        var key = KeyOption();
        var state = StateOption();
        var command = new Command("deploy", "Staged rollout of a signed model to a group: canaries, health check, then the rest; halt and roll back on failure") { model, group, canary, health, maxFailures, parallel, key, state };
        conn.AddTo(command);
        command.SetAction(parse =>
        {
            FileInfo file = parse.GetValue(model);
            if (!file.Exists) throw new CliException($"{file.FullName}: file not found");
            byte[] bytes = File.ReadAllBytes(file.FullName);
            if (ModelReader.Read(bytes, bytes.Length, int.MaxValue, out string error) == null) throw new CliException($"{file.FullName}: {error}");
            var options = new RolloutOptions(parse.GetValue(group), Fraction(parse.GetValue(canary)), Duration(parse.GetValue(health), "--health"), parse.GetValue(maxFailures), parse.GetValue(parallel));
            byte[] fleetKey = ReadKey(parse.GetValue(key));
            using FleetHost host = conn.Connect(parse);
            var rollout = new Rollout(host, fleetKey, line => Cli.Out.WriteLine(line));
            RolloutResult r = WithProgress(rollout, () => DeployCommand.Device(() => rollout.Run(bytes, file.Name, options)));
            SaveState(parse.GetValue(state), rollout, r, Crc32.Compute(bytes, 0, bytes.Length));
            Report(r);
            return r.Halted ? ExitCodes.CheckFailed : ExitCodes.Ok;
        });
        return command;
    }

    private static RolloutResult WithProgress(Rollout rollout, Func<RolloutResult> run)
    {
        if (!Cli.Interactive)
        {
            rollout.Progress = (done, total, stage) => { if (done == total || done % 10 == 0) Cli.Out.WriteLine($"{stage}: {done}/{total}"); };
            return run();
        }
        RolloutResult result = null;
        Cli.Out.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn()).Start(ctx =>
        {
            var tasks = new Dictionary<string, ProgressTask>();
            rollout.Progress = (done, total, stage) =>
            {
                lock (tasks)
                {
                    if (!tasks.TryGetValue(stage, out ProgressTask t)) tasks[stage] = t = ctx.AddTask(Markup.Escape(stage), maxValue: total);
                    t.Value = done;
                }
            };
            result = run();
        });
        return result;
    }

    private static void Report(RolloutResult r)
    {
        Cli.Out.WriteLine($"{(r.Halted ? "halted: " + r.Reason : "done")}: {r.Updated} devices updated, {r.Failed} failed, {r.Devices.Count(d => d.RolledBack)} rolled back, {r.Elapsed.TotalSeconds:0.0} s");
        foreach (DeviceOutcome d in r.Devices.Where(d => d.Error != null)) Cli.Out.WriteLine($"  {d.Device}: {d.Error}");
    }

    // The previous models (by CRC) and who ran what, so `fleet rollback` can undo the last rollout later.
    private static void SaveState(DirectoryInfo state, Rollout rollout, RolloutResult r, uint newCrc)
    {
        Directory.CreateDirectory(Path.Combine(state.FullName, "models"));
        foreach (var (crc, bytes) in rollout.Previous)
        {
            string path = Path.Combine(state.FullName, "models", $"{crc:X8}.enet");
            if (File.Exists(path)) continue;
            File.WriteAllBytes(path + ".tmp", bytes);
            File.Move(path + ".tmp", path);
        }
        var lines = new List<string> { "device\tprevious\tnew" };
        lines.AddRange(r.Devices.Where(d => d.Updated && !d.RolledBack && d.PreviousCrc is uint p && p != newCrc).Select(d => $"{d.Device}\t{d.PreviousCrc:X8}\t{newCrc:X8}"));
        string last = Path.Combine(state.FullName, "last-rollout.tsv");
        File.WriteAllLines(last + ".tmp", lines);
        File.Move(last + ".tmp", last, overwrite: true);
    }

    private static Command Rollback()
    {
        var conn = new Connection();
        var key = KeyOption();
        var state = StateOption();
        var parallel = new Option<int>("--parallel") { Description = "Devices rolled back at the same time", DefaultValueFactory = _ => 16 };
        var command = new Command("rollback", "Give every device the last rollout changed its previous model again (from --state)") { key, state, parallel };
        conn.AddTo(command);
        command.SetAction(parse =>
        {
            DirectoryInfo dir = parse.GetValue(state);
            string last = Path.Combine(dir.FullName, "last-rollout.tsv");
            if (!File.Exists(last)) throw new CliException($"{last}: file not found (no rollout was recorded in {dir.FullName})");
            var rows = File.ReadAllLines(last).Skip(1).Select(l => l.Split('\t')).Where(p => p.Length == 3).ToArray();
            byte[] fleetKey = ReadKey(parse.GetValue(key));
            using FleetHost host = conn.Connect(parse);
            int done = 0, failed = 0;
            Rollout.Parallelize(rows.Select(r => r[0]).ToArray(), parse.GetValue(parallel), device =>
            {
                string[] row = rows.First(r => r[0] == device);
                uint want = Convert.ToUInt32(row[1], 16), now = Convert.ToUInt32(row[2], 16);
                if (host.Statuses.GetValueOrDefault(device)?.Crc != now) { Interlocked.Increment(ref done); return; } // already changed since
                byte[] model = File.ReadAllBytes(Path.Combine(dir.FullName, "models", $"{want:X8}.enet"));
                try
                {
                    MqttDeviceLink l = host.Link(device);
                    l.Clear();
                    ModelDeployer.Deploy(new DeviceLink(l) { TimeoutMs = 3000, Retries = 10 }, model, $"{want:X8}.enet", fleetKey: fleetKey);
                    Interlocked.Increment(ref done);
                }
                catch (Exception e) when (e is DeviceLinkException or DeployOutcomeUnknownException)
                {
                    Interlocked.Increment(ref failed);
                    lock (rows) Cli.Out.WriteLine($"  {device}: {e.Message}");
                }
            });
            Cli.Out.WriteLine($"rolled back {done} of {rows.Length} devices, {failed} failed");
            return failed == 0 ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return command;
    }

    private static Command ConfigPush()
    {
        var conn = new Connection();
        var file = new Argument<FileInfo>("file") { Description = "The board configuration (board.cfg); each device reads it at its next boot" };
        var device = new Option<string>("--device") { Description = "One device" };
        var group = new Option<string>("--group") { Description = "Every device of a group" };
        var key = KeyOption();
        var command = new Command("push", "Send a board configuration to one device or a group (signed when --key is given)") { file, device, group, key };
        conn.AddTo(command);
        command.SetAction(parse =>
        {
            FileInfo f = parse.GetValue(file);
            if (!f.Exists) throw new CliException($"{f.FullName}: file not found");
            if ((parse.GetValue(device) == null) == (parse.GetValue(group) == null)) throw new CliException("give --device or --group (one of them)", ExitCodes.Usage);
            byte[] bytes = File.ReadAllBytes(f.FullName);
            byte[] fleetKey = ReadKey(parse.GetValue(key));
            using FleetHost host = conn.Connect(parse);
            string[] targets = parse.GetValue(device) != null ? [parse.GetValue(device)]
                : host.Statuses.Values.Where(s => s.Group == parse.GetValue(group)).Select(s => s.Device).Order(StringComparer.Ordinal).ToArray();
            if (targets.Length == 0) throw new CliException($"no device of group '{parse.GetValue(group)}' has published a status on the broker");
            int failed = 0;
            foreach (string d in targets)
            {
                try
                {
                    MqttDeviceLink l = host.Link(d);
                    l.Clear();
                    DeployResult r = ModelDeployer.PushConfig(new DeviceLink(l) { TimeoutMs = 3000 }, bytes, f.Name, fleetKey: fleetKey);
                    Cli.Out.WriteLine($"{d}: {r.Done}");
                }
                catch (Exception e) when (e is DeviceLinkException or DeployOutcomeUnknownException)
                {
                    failed++;
                    Cli.Out.WriteLine($"{d}: {e.Message}");
                }
            }
            return failed == 0 ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return command;
    }

    /// <summary>"5%", "0.05" or "5" (percent when above 1) as a fraction in (0, 1].</summary>
    public static double Fraction(string text)
    {
        string t = text.Trim();
        bool percent = t.EndsWith('%');
        if (percent) t = t[..^1];
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v) || v <= 0)
            throw new CliException($"--canary {text}: expected a share such as 5% or 0.05", ExitCodes.Usage);
        double f = percent || v > 1 ? v / 100 : v;
        if (f > 1) throw new CliException($"--canary {text}: more than the whole group", ExitCodes.Usage);
        return f;
    }

    /// <summary>"60s", "2m", "1500ms" or plain seconds.</summary>
    public static TimeSpan Duration(string text, string option)
    {
        string t = text.Trim();
        double scale = 1;
        if (t.EndsWith("ms", StringComparison.Ordinal)) { scale = 0.001; t = t[..^2]; }
        else if (t.EndsWith('s')) t = t[..^1];
        else if (t.EndsWith('m')) { scale = 60; t = t[..^1]; }
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v) || v <= 0 || v * scale > 86400)
            throw new CliException($"{option} {text}: expected a duration such as 60s or 2m", ExitCodes.Usage);
        return TimeSpan.FromSeconds(v * scale);
    }
}
