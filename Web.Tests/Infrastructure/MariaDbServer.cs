using System.Diagnostics;
using MySqlConnector;

namespace Site.Web.Tests.Infrastructure;

/// <summary>
/// A real MySQL-compatible server for the tests: the one named by TEST_MYSQL_ADMIN_CONNECTION_STRING
/// (MySQL 8.4 in GitHub Actions), or else a private mariadbd on a free loopback port with a throw-away data directory.
/// </summary>
public sealed class MariaDbServer : IAsyncDisposable
{
    public const string AdminConnectionStringVariable = "TEST_MYSQL_ADMIN_CONNECTION_STRING";
    private const string TestUser = "site_test";
    private const string TestPassword = "site-test-password";

    private static readonly Lazy<Task<MariaDbServer>> SharedServer = new(() => StartOrUseExternalAsync());

    // The server's own folder: data/ and tmp/. Servers started side by side must not share a temp folder: each one
    // deletes the #sql temp files it finds there as it starts, including those of another server still bootstrapping.
    private readonly string? home;
    private readonly string[] extraArguments;
    private Process? process;

    private MariaDbServer(string adminConnectionString, string? home, int port, string[] extraArguments)
    {
        AdminConnectionString = adminConnectionString;
        this.home = home;
        this.extraArguments = extraArguments;
        Port = port;
    }

    /// <summary>One server for the whole test run; each test class gets its own database on it.</summary>
    public static Task<MariaDbServer> Shared => SharedServer.Value;

    public string AdminConnectionString { get; }

    public int Port { get; }

    public bool IsPrivate => home is not null;

    /// <summary>Starts a private server of the test's own, for tests that stop it or need special settings.</summary>
    public static async Task<MariaDbServer> StartPrivateAsync(params string[] extraArguments)
    {
        var mariadbd = LocalMachine.FindProgram("mariadbd", "/usr/sbin/mariadbd")
            ?? throw new InvalidOperationException(
                $"No MariaDB server found. Install it (scripts/install-deps.sh db: apt-get install mariadb-server, or brew install mariadb), or set {AdminConnectionStringVariable} to a MySQL server the tests may use.");
        var home = Directory.CreateTempSubdirectory("site-tests-mariadb-").FullName;
        Directory.CreateDirectory(Path.Combine(home, "tmp"));
        var user = Environment.UserName;
        await RunAsync(LocalMachine.FindProgram("mariadb-install-db", "/usr/bin/mariadb-install-db") ?? "mariadb-install-db",
            ["--no-defaults", .. Folders(home), "--auth-root-authentication-method=normal", "--skip-test-db", $"--user={user}"]);

        var port = LocalMachine.FreePort();
        var socket = Path.Combine(home, "sock");
        var admin = new MySqlConnectionStringBuilder
        {
            Server = socket,
            ConnectionProtocol = MySqlConnectionProtocol.UnixSocket,
            UserID = "root",
            Pooling = false,
        }.ConnectionString;
        var server = new MariaDbServer(admin, home, port, [mariadbd, .. extraArguments]);
        await server.StartAsync();

        await using (var connection = new MySqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new MySqlCommand(
                $"CREATE USER '{TestUser}'@'127.0.0.1' IDENTIFIED BY '{TestPassword}'; GRANT ALL PRIVILEGES ON *.* TO '{TestUser}'@'127.0.0.1' WITH GRANT OPTION;",
                connection);
            await command.ExecuteNonQueryAsync();
        }

        return server;
    }

    /// <summary>Starts (again) a private server on the same port and data directory.</summary>
    public async Task StartAsync()
    {
        if (home is null || process is { HasExited: false })
        {
            return;
        }

        var info = new ProcessStartInfo(extraArguments[0])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])
                 ["--no-defaults", .. Folders(home), $"--socket={Path.Combine(home, "sock")}", $"--port={Port}",
                  "--bind-address=127.0.0.1", $"--user={Environment.UserName}", "--skip-log-bin", "--innodb-buffer-pool-size=64M",
                  "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci", .. extraArguments[1..]])
        {
            info.ArgumentList.Add(argument);
        }

        process = Process.Start(info) ?? throw new InvalidOperationException("mariadbd did not start.");
        var log = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new MySqlConnection(AdminConnectionString);
                await connection.OpenAsync();
                return;
            }
            catch (MySqlException) when (deadline.Elapsed < TimeSpan.FromSeconds(30) && !process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (MySqlException e)
            {
                string output;
                lock (log)
                {
                    output = log.ToString();
                }

                throw new InvalidOperationException($"mariadbd did not accept connections: {e.Message}\n{output}", e);
            }
        }
    }

    /// <summary>Stops a private server abruptly, as a crash or a network partition would look to the app.</summary>
    public async Task StopAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Creates an empty utf8mb4 database and a connection string to it, as the app's own user would connect.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var connection = new MySqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new MySqlCommand(
                $"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci", connection);
            await command.ExecuteNonQueryAsync();
        }

        var builder = new MySqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true };
        if (IsPrivate)
        {
            builder.Server = "127.0.0.1";
            builder.Port = (uint)Port;
            builder.ConnectionProtocol = MySqlConnectionProtocol.Tcp;
            builder.UserID = TestUser;
            builder.Password = TestPassword;
            builder.SslMode = MySqlSslMode.None;
        }

        return builder.ConnectionString;
    }

    public async Task DropDatabaseAsync(string name)
    {
        await using var connection = new MySqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand($"DROP DATABASE IF EXISTS `{name}`", connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        process?.Dispose();
        if (home is not null)
        {
            try
            {
                Directory.Delete(home, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open by a dying server; the temp folder is cleaned by the OS later.
            }
        }
    }

    private static async Task<MariaDbServer> StartOrUseExternalAsync()
    {
        var external = Environment.GetEnvironmentVariable(AdminConnectionStringVariable);
        var server = string.IsNullOrWhiteSpace(external)
            ? await StartPrivateAsync()
            : new MariaDbServer(external, null, 0, []);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    }

    // The bootstrap and every start of the server must use the same folders, the temp one above all.
    private static string[] Folders(string home) => [$"--datadir={Path.Combine(home, "data")}", $"--tmpdir={Path.Combine(home, "tmp")}"];

    private static async Task RunAsync(string file, params string[] arguments)
    {
        var (exitCode, output) = await LocalMachine.RunAsync(new ProcessStartInfo(file, arguments), TimeSpan.FromMinutes(2));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed ({exitCode}): {output}");
        }
    }
}
