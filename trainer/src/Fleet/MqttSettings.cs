using System.Security.Cryptography.X509Certificates;
using MQTTnet;

namespace EdgeNet.Trainer.Fleet;

/// <summary>How to reach the broker: host, port, credentials, and TLS with the CA that signed the broker's certificate.</summary>
public sealed record MqttSettings(string Host, int Port, string User = null, string Password = null, bool Tls = false, string CaFile = null)
{
    /// <summary>Options for one client connection. A persistent session (clean start off) keeps QoS 1 messages for a device while it is away.</summary>
    public MqttClientOptions Options(string clientId, bool persistentSession)
    {
        var b = new MqttClientOptionsBuilder()
            .WithTcpServer(Host, Port)
            .WithClientId(clientId)
            .WithCleanSession(!persistentSession)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (User != null) b = b.WithCredentials(User, Password ?? "");
        if (Tls)
        {
            X509Certificate2 ca = CaFile == null ? null : X509CertificateLoader.LoadCertificateFromFile(CaFile);
            b = b.WithTlsOptions(o =>
            {
                o.UseTls();
                if (ca != null)
                {
                    // Trust exactly this CA for the broker (a private fleet CA, not the system store).
                    o.WithCertificateValidationHandler(args =>
                    {
                        using var chain = new X509Chain();
                        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                        chain.ChainPolicy.CustomTrustStore.Add(ca);
                        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                        if (args.Certificate == null || (args.SslPolicyErrors & System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return false;
                        return chain.Build(new X509Certificate2(args.Certificate));
                    });
                }
            });
        }
        return b.Build();
    }
}
