using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Site.Web.Tests.Infrastructure;

/// <summary>
/// nginx in front of the site as the Application Load Balancer stands: a plain-HTTP and a TLS listener for
/// <see cref="HostName"/>, forwarding to the app's port the headers the load balancer sends (Host as the visitor gave
/// it, X-Forwarded-For with the visitor's address appended, X-Forwarded-Proto, X-Forwarded-Port, X-Amzn-Trace-Id).
/// A private process on loopback with its own prefix folder, so it needs no root and touches nothing of the machine's.
/// </summary>
public sealed class LoadBalancerProxy : IAsyncDisposable
{
    public const string HostName = "www.site.test";

    private readonly string home;
    private readonly Process process;
    private readonly int httpPort;
    private readonly int httpsPort;

    private LoadBalancerProxy(string home, Process process, int httpPort, int httpsPort)
    {
        this.home = home;
        this.process = process;
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
    }

    public Uri HttpAddress => new($"http://{HostName}:{httpPort}/");

    public Uri HttpsAddress => new($"https://{HostName}:{httpsPort}/");

    /// <summary>The entry point for a scheme, "http" or "https".</summary>
    public Uri Address(string scheme) => scheme switch
    {
        "http" => HttpAddress,
        "https" => HttpsAddress,
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "The load balancer listens for http and https only."),
    };

    public static async Task<LoadBalancerProxy> StartAsync(Uri app, ServerCertificate certificate)
    {
        var nginx = LocalMachine.FindProgram("nginx", "/usr/sbin/nginx")
            ?? throw new InvalidOperationException(
                "No nginx found. Install it (scripts/install-deps.sh proxy, apt-get install nginx-light, or brew install nginx).");
        var home = Directory.CreateTempSubdirectory("site-tests-nginx-").FullName;
        Directory.CreateDirectory(Path.Combine(home, "temp"));
        await File.WriteAllTextAsync(Path.Combine(home, "server-cert.pem"), certificate.CertificatePem);
        await File.WriteAllTextAsync(Path.Combine(home, "server-key.pem"), certificate.KeyPem);
        var (httpPort, httpsPort) = (LocalMachine.FreePort(), LocalMachine.FreePort());
        await File.WriteAllTextAsync(Path.Combine(home, "nginx.conf"), Configuration(home, app, httpPort, httpsPort));

        // -e: even what nginx reports before it has read the configuration goes to the folder's log.
        var info = new ProcessStartInfo(nginx) { UseShellExecute = false };
        foreach (var argument in (string[])["-p", home, "-c", Path.Combine(home, "nginx.conf"), "-e", Path.Combine(home, "error.log"), "-g", "daemon off;"])
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("nginx did not start.");
        var proxy = new LoadBalancerProxy(home, process, httpPort, httpsPort);
        try
        {
            await proxy.WaitUntilListeningAsync();
            return proxy;
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            // The master and its worker: a worker left behind would keep the ports.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        Directory.Delete(home, recursive: true);
    }

    private static string Configuration(string home, Uri app, int httpPort, int httpsPort)
    {
        string In(string name) => Path.Combine(home, name);
        return string.Create(CultureInfo.InvariantCulture, $$"""
            # Started as root, nginx would run its worker as nobody, who may not use the folders below.
            {{(Environment.UserName == "root" ? "user root;" : "")}}
            worker_processes 1;
            pid {{In("nginx.pid")}};
            error_log {{In("error.log")}} warn;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path {{In("temp/body")}};
                proxy_temp_path {{In("temp/proxy")}};
                fastcgi_temp_path {{In("temp/fastcgi")}};
                uwsgi_temp_path {{In("temp/uwsgi")}};
                scgi_temp_path {{In("temp/scgi")}};

                # The load balancer's trace id is Root=1-<8 hex>-<24 hex> (the first part its clock, here random).
                map $request_id $amzn_trace_id {
                    "~^(?<first>[0-9a-f]{8})(?<rest>[0-9a-f]{24})$" "Root=1-$first-$rest";
                }

                # Connections to the app are kept open and reused, as the load balancer's are.
                upstream app {
                    server 127.0.0.1:{{app.Port}};
                    keepalive 8;
                }

                server {
                    listen 127.0.0.1:{{httpPort}};
                    listen 127.0.0.1:{{httpsPort}} ssl http2;
                    server_name {{HostName}};
                    ssl_certificate {{In("server-cert.pem")}};
                    ssl_certificate_key {{In("server-key.pem")}};

                    location / {
                        proxy_pass http://app;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_set_header Host $http_host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_set_header X-Forwarded-Proto $scheme;
                        proxy_set_header X-Forwarded-Port $server_port;
                        proxy_set_header X-Amzn-Trace-Id $amzn_trace_id;
                    }
                }
            }
            """);
    }

    private async Task WaitUntilListeningAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        foreach (var port in (int[])[httpPort, httpsPort])
        {
            while (true)
            {
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync("127.0.0.1", port);
                    break;
                }
                catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
                {
                    await Task.Delay(50);
                }
                catch (SocketException e)
                {
                    var log = Path.Combine(home, "error.log");
                    throw new InvalidOperationException(
                        $"nginx did not listen on 127.0.0.1:{port}: {e.Message}\n{(File.Exists(log) ? await File.ReadAllTextAsync(log) : "")}", e);
                }
            }
        }
    }
}
