using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EdgeNet.Trainer.Fleet.Simulation;

/// <summary>
/// A private mosquitto on loopback for tests and `bench fleet`: a free port, TLS with a CA and server
/// certificate made here with openssl, a password file (hashed by mosquitto_passwd) and the fleet ACL
/// (docs/fleet.md): the operator reads and writes edgenet/#; a device writes only its own reply and status
/// and reads only its own and its group's command topics. Persistence is on, so a restart keeps sessions
/// and retained statuses, as a production broker does.
/// </summary>
public sealed class MosquittoBroker : IDisposable
{
    public const string OperatorUser = "operator";

    private readonly string _dir;
    private Process _process;

    public int Port { get; }
    public string CaFile => Path.Combine(_dir, "ca.crt");
    public string OperatorPassword { get; } = "op-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Times the broker process was started.</summary>
    public int Starts { get; private set; }

    private readonly Dictionary<string, string> _passwords = [];

    /// <param name="devices">Device name and group of every device account.</param>
    public MosquittoBroker(IEnumerable<(string Device, string Group)> devices, string extraUser = null, string extraPassword = null)
    {
        _dir = Directory.CreateTempSubdirectory("edgenet-mosquitto-").FullName;
        Port = FreePort();
        var list = devices.ToList();
        foreach (var (d, _) in list) _passwords[d] = "pw-" + d;
        MakeCertificates();
        var plain = new List<string> { $"{OperatorUser}:{OperatorPassword}" };
        plain.AddRange(list.Select(d => $"{d.Device}:{_passwords[d.Device]}"));
        if (extraUser != null) plain.Add($"{extraUser}:{extraPassword}");
        File.WriteAllLines(Path.Combine(_dir, "passwd"), plain);
        Run(Tool("mosquitto_passwd"), "-U", Path.Combine(_dir, "passwd"));
        var acl = new List<string>
        {
            // Patterns hold for every user: %u is the user name, which is the device name.
            "pattern read edgenet/dev/%u/cmd",
            "pattern write edgenet/dev/%u/reply",
            "pattern write edgenet/dev/%u/status",
            "",
            $"user {OperatorUser}",
            "topic readwrite edgenet/#",
        };
        foreach (var (d, g) in list) acl.AddRange(["", $"user {d}", $"topic read edgenet/group/{g}/cmd"]);
        File.WriteAllLines(Path.Combine(_dir, "acl"), acl);
        File.WriteAllLines(Path.Combine(_dir, "mosquitto.conf"),
        [
            "per_listener_settings false",
            "allow_anonymous false",
            $"password_file {Path.Combine(_dir, "passwd")}",
            $"acl_file {Path.Combine(_dir, "acl")}",
            "persistence true",
            $"persistence_location {_dir}/",
            "max_queued_messages 10000",
            "max_inflight_messages 20",
            $"listener {Port} 127.0.0.1",
            $"cafile {CaFile}",
            $"certfile {Path.Combine(_dir, "server.crt")}",
            $"keyfile {Path.Combine(_dir, "server.key")}",
            "tls_version tlsv1.2",
            // Started as root (CI containers), mosquitto would switch to its own user, which cannot read this
            // private folder; as any other user it stays that user anyway.
            Environment.UserName == "root" ? "user root" : "",
        ]);
        Start();
    }

    public string DevicePassword(string device) => _passwords[device];

    public MqttSettings Operator => new("127.0.0.1", Port, OperatorUser, OperatorPassword, Tls: true, CaFile: CaFile);

    /// <summary>Settings for a device connection (the device fills in its own user and password).</summary>
    public MqttSettings Devices => new("127.0.0.1", Port, Tls: true, CaFile: CaFile);

    public void Start()
    {
        var psi = new ProcessStartInfo(Tool("mosquitto"), ["-c", Path.Combine(_dir, "mosquitto.conf")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        _process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start mosquitto");
        _process.ErrorDataReceived += (_, _) => { };
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        Starts++;
        var clock = Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < 10000)
        {
            if (_process.HasExited) throw new InvalidOperationException($"mosquitto exited at start with code {_process.ExitCode} (config {_dir}/mosquitto.conf)");
            try
            {
                using var c = new TcpClient();
                c.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) { Thread.Sleep(50); }
        }
        throw new TimeoutException("mosquitto did not listen on port " + Port);
    }

    /// <summary>Stops the broker as a restart does (SIGTERM: it saves sessions and retained messages first).</summary>
    public void Stop()
    {
        if (_process == null || _process.HasExited) return;
        Run("kill", "-TERM", _process.Id.ToString());
        if (!_process.WaitForExit(10000)) _process.Kill();
        _process.Dispose();
        _process = null;
    }

    public void Restart()
    {
        Stop();
        Start();
    }

    public static bool Available() => File.Exists(Tool("mosquitto")) && File.Exists(Tool("mosquitto_passwd"));

    // Debian puts the broker in /usr/sbin, which a user's PATH may lack.
    private static string Tool(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin").Append("/usr/bin")
            .Select(p => Path.Combine(p, name)).FirstOrDefault(File.Exists) ?? name;

    private void MakeCertificates()
    {
        string ca = Path.Combine(_dir, "ca"), server = Path.Combine(_dir, "server");
        File.WriteAllText(server + ".ext", "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        Run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-subj", "/CN=edgenet test fleet CA", "-keyout", ca + ".key", "-out", ca + ".crt");
        Run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-subj", "/CN=localhost", "-keyout", server + ".key", "-out", server + ".csr");
        Run("openssl", "x509", "-req", "-in", server + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key", "-CAcreateserial",
            "-days", "2", "-extfile", server + ".ext", "-out", server + ".crt");
    }

    private static void Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool, args) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + tool);
        Task<string> err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed ({p.ExitCode}): {err.Result.Trim()}");
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public void Dispose()
    {
        Stop();
        try { Directory.Delete(_dir, true); }
        catch (IOException) { }
    }
}
