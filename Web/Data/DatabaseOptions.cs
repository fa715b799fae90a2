using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using MySqlConnector;

namespace Site.Web.Data;

public sealed partial class DatabaseOptions : IValidatableObject
{
    public const string SectionName = DatabaseVariables.Section;

    /// <summary>A full connection string; the individual settings below override its parts when given.</summary>
    public string? ConnectionString { get; set; }

    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 3306;

    public string? Name { get; set; }

    public string? User { get; set; }

    public string? Password { get; set; }

    public DatabaseAuth Auth { get; set; } = DatabaseAuth.Password;

    public MySqlSslMode? SslMode { get; set; }

    /// <summary>Path of the CA bundle that signs the server's certificate (the RDS bundle in AWS).</summary>
    public string? SslCa { get; set; }

    /// <summary>The region IAM auth tokens are signed for; AWS_REGION when not set.</summary>
    public string? Region { get; set; }

    /// <summary>
    /// A database user for IAM authentication that the app creates at start-up while it still connects with the
    /// master password (<see cref="DatabaseAuth.Password"/>); see docs/operations.md, "Database authentication".
    /// </summary>
    public string? IamUser { get; set; }

    // A visitor waits at most connect + command timeout before getting a 503, not a hanging page.
    [Range(1, 60)]
    public int ConnectTimeoutSeconds { get; set; } = 3;

    [Range(1, 300)]
    public int CommandTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// The most connections this process holds (MySqlConnector's default is 100). The deployment derives it from the
    /// database's max_connections and the most tasks that can run at once (docs/operations.md, "Connection budget").
    /// When every one is in use, a request waits up to <see cref="ConnectTimeoutSeconds"/> for one and is then answered
    /// 503 with Retry-After: well inside the load balancer's idle timeout.
    /// </summary>
    [Range(1, 1000)]
    public int? MaxPoolSize { get; set; }

    /// <summary>Database operations slower than this are logged as warnings.</summary>
    [Range(1, 600_000)]
    public int SlowOperationMs { get; set; } = 250;

    public MySqlConnectionStringBuilder ToConnectionStringBuilder()
    {
        var builder = new MySqlConnectionStringBuilder(ConnectionString ?? "")
        {
            ConnectionTimeout = (uint)ConnectTimeoutSeconds,
            DefaultCommandTimeout = (uint)CommandTimeoutSeconds,
            // After a Multi-AZ failover the endpoint's DNS name points at the new primary; pooled
            // connections to the old address are dropped once the change is seen.
            DnsCheckInterval = 10,
            Pooling = true,
        };
        if (Host is not null)
        {
            builder.Server = Host;
            builder.Port = (uint)Port;
        }

        if (MaxPoolSize is { } maxPoolSize)
        {
            builder.MaximumPoolSize = (uint)maxPoolSize;
        }

        if (Name is not null)
        {
            builder.Database = Name;
        }

        if (User is not null)
        {
            builder.UserID = User;
        }

        if (Password is not null)
        {
            builder.Password = Password;
        }

        // MySqlConnector asks the password provider only when no password is set; an injected master password must not win.
        if (Auth == DatabaseAuth.Iam)
        {
            builder.Password = "";
        }

        if (SslMode is { } mode)
        {
            builder.SslMode = mode;
        }

        if (SslCa is not null)
        {
            builder.SslCa = SslCa;
        }

        return builder;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var builder = ToConnectionStringBuilder();
        if (string.IsNullOrEmpty(builder.Server) || string.IsNullOrEmpty(builder.UserID) || string.IsNullOrEmpty(builder.Database))
        {
            yield return new ValidationResult(
                "The database is not configured: set Database__ConnectionString, or Database__Host, Database__Name and Database__User.");
        }

        if (Auth == DatabaseAuth.Password && string.IsNullOrEmpty(builder.Password))
        {
            yield return new ValidationResult("Database__Password is empty; set it, or set Database__Auth=Iam to use IAM database authentication.");
        }

        // The token is a bearer credential for 15 minutes: it must never cross the network in clear text.
        if (Auth == DatabaseAuth.Iam && builder.SslMode < MySqlSslMode.Required)
        {
            yield return new ValidationResult(
                $"Database__Auth=Iam needs TLS, but Database__SslMode is {builder.SslMode}: set it to VerifyFull (with Database__SslCa), VerifyCA or Required.");
        }

        if (Auth == DatabaseAuth.Iam && string.IsNullOrEmpty(Region))
        {
            yield return new ValidationResult("Database__Auth=Iam needs the region the tokens are signed for: set AWS_REGION or Database__Region.");
        }

        if (!string.IsNullOrEmpty(IamUser) && !UserName().IsMatch(IamUser))
        {
            yield return new ValidationResult("Database__IamUser must be 1 to 32 letters, digits or underscores.");
        }

        if (SslCa is not null && !File.Exists(SslCa))
        {
            yield return new ValidationResult($"Database__SslCa points at '{SslCa}', which does not exist.");
        }
    }

    // Used in CREATE USER and GRANT, where a user name can't be a parameter.
    [GeneratedRegex("^[A-Za-z0-9_]{1,32}$")]
    private static partial Regex UserName();
}
