using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Site.Web.Data;

namespace Site.Web.Admin;

public enum SignInOutcome
{
    SignedIn,
    WrongCredentials,
    LockedOut,
    Disabled,
}

public sealed record AdminSignInResult(SignInOutcome Outcome, TimeSpan RetryAfter = default);

/// <summary>
/// Checks the owner's credentials and locks sign-in for <see cref="LockoutTime"/> after <see cref="MaxFailures"/> failures
/// within <see cref="FailureWindow"/> from one client: the key <see cref="AdminDevices"/> gives the attempt (a browser
/// the owner signed in with before, or else the client address). Failures elsewhere never lock that client out, so an
/// attacker locks out no one but themselves. The count is for the one account, whatever user name was typed, so a
/// lockout reveals nothing about which names exist. It lives in the database (Data/Migrations/0003_admin_sign_in_per_client.sql),
/// so it holds however many tasks run, and survives their restarts.
/// </summary>
public sealed partial class AdminSignIn(IOptions<AdminOptions> options, Db db, TimeProvider clock, ILogger<AdminSignIn> logger) : IDisposable
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan LockoutTime = TimeSpan.FromMinutes(15);

    // One check at a time in this task: a flood of sign-ins keeps at most one core busy with PBKDF2 while the site
    // goes on serving visitors.
    private readonly SemaphoreSlim gate = new(1, 1);

    private sealed record ClientState(int Failures, DateTime WindowStart, DateTime? LockedUntil);

    /// <param name="clientKey">What the attempt counts under: <see cref="AdminDevices.ClientKey"/>.</param>
    /// <param name="clientIp">The address the attempt came from, for the log.</param>
    public async Task<AdminSignInResult> CheckAsync(string user, string password, string clientKey, string? clientIp, CancellationToken cancellationToken)
    {
        var admin = options.Value;
        if (!admin.Enabled)
        {
            return new AdminSignInResult(SignInOutcome.Disabled);
        }

        var loggedUser = user.Length > 100 ? user[..100] : user;

        // While locked, not even the password is hashed, nor a place in the queue for it taken.
        var lockedUntil = await db.RunAsync("admin.sign_in_state", connection => LockedUntilAsync(connection, null, clientKey, cancellationToken), cancellationToken);
        if (clock.GetUtcNow() < lockedUntil)
        {
            return LockedOut(loggedUser, clientKey, clientIp, lockedUntil);
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            // Both checks always run, so a wrong user name costs the same time as a wrong password. The hashing is done
            // before the row lock is taken, so no task holds it for the length of a PBKDF2.
            var passwordMatches = AdminPassword.Verify(password, admin.PasswordHash!);
            var userMatches = CryptographicOperations.FixedTimeEquals(
                SHA256.HashData(Encoding.UTF8.GetBytes(user)), SHA256.HashData(Encoding.UTF8.GetBytes(admin.User!)));
            return await db.RunAsync("admin.sign_in", connection =>
                RecordAsync(connection, passwordMatches & userMatches, loggedUser, clientKey, clientIp, cancellationToken), cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Records the outcome under the row lock of admin_sign_in, which orders the checks of every task. A check that finds
    /// its client locked by now (another task's attempt was the fifth failure) answers "locked" whatever the password
    /// was, so the attempts in flight when the lockout began tell an attacker nothing.
    /// </summary>
    private async Task<AdminSignInResult> RecordAsync(
        MySqlConnection connection, bool matches, string loggedUser, string clientKey, string? clientIp, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        CommandDefinition Sql(string sql, object? parameters = null) => new(sql, parameters, transaction, cancellationToken: cancellationToken);
        await connection.ExecuteAsync(Sql("SELECT id FROM admin_sign_in WHERE id = 1 FOR UPDATE"));
        var lockedUntil = await LockedUntilAsync(connection, transaction, clientKey, cancellationToken);
        var now = clock.GetUtcNow();
        if (now < lockedUntil)
        {
            return LockedOut(loggedUser, clientKey, clientIp, lockedUntil);
        }

        if (matches)
        {
            await connection.ExecuteAsync(Sql("DELETE FROM admin_sign_in_clients WHERE client_key = @clientKey", new { clientKey }));
            await transaction.CommitAsync(cancellationToken);
            LogSucceeded(logger, loggedUser, clientKey, clientIp);
            return new AdminSignInResult(SignInOutcome.SignedIn);
        }

        var windowStart = (now - FailureWindow).UtcDateTime;
        var state = await connection.QuerySingleOrDefaultAsync<ClientState>(Sql(
            "SELECT failures AS Failures, window_start AS WindowStart, locked_until AS LockedUntil FROM admin_sign_in_clients WHERE client_key = @clientKey",
            new { clientKey }));
        var counted = state is not null && state.WindowStart > windowStart ? state : new ClientState(0, now.UtcDateTime, null);
        var failures = counted.Failures + 1;
        var locks = failures >= MaxFailures;

        // A lockout starts a new window, so the count begins afresh once it ends. Clients whose window and lockout are
        // both over are forgotten, so the table holds only the clients of the last quarter of an hour.
        await connection.ExecuteAsync(Sql(
            """
            DELETE FROM admin_sign_in_clients WHERE window_start <= @windowStart AND (locked_until IS NULL OR locked_until <= @now);
            INSERT INTO admin_sign_in_clients (client_key, failures, window_start, locked_until) VALUES (@clientKey, @failures, @start, @until)
            ON DUPLICATE KEY UPDATE failures = @failures, window_start = @start, locked_until = @until;
            """,
            new
            {
                clientKey,
                windowStart,
                now = now.UtcDateTime,
                failures = locks ? 0 : failures,
                start = locks ? now.UtcDateTime : counted.WindowStart,
                until = locks ? (now + LockoutTime).UtcDateTime : (DateTime?)null,
            }));
        await transaction.CommitAsync(cancellationToken);
        LogFailed(logger, loggedUser, clientKey, clientIp, failures);
        return new AdminSignInResult(SignInOutcome.WrongCredentials);
    }

    /// <summary>The end of the client's current lockout (in the past when there is none).</summary>
    private static async Task<DateTimeOffset> LockedUntilAsync(
        MySqlConnection connection, MySqlTransaction? transaction, string clientKey, CancellationToken cancellationToken)
    {
        var stored = await connection.QuerySingleOrDefaultAsync<DateTime?>(new CommandDefinition(
            "SELECT locked_until FROM admin_sign_in_clients WHERE client_key = @clientKey", new { clientKey },
            transaction, cancellationToken: cancellationToken));
        return stored is { } until ? new DateTimeOffset(DateTime.SpecifyKind(until, DateTimeKind.Utc)) : DateTimeOffset.MinValue;
    }

    private AdminSignInResult LockedOut(string loggedUser, string clientKey, string? clientIp, DateTimeOffset lockedUntil)
    {
        LogLockedOut(logger, loggedUser, clientKey, clientIp, lockedUntil);
        return new AdminSignInResult(SignInOutcome.LockedOut, lockedUntil - clock.GetUtcNow());
    }

    public void Dispose() => gate.Dispose();

    [LoggerMessage(Level = LogLevel.Information, EventName = "AdminSignInSucceeded",
        Message = "Admin sign-in succeeded for {AdminUser} as {SignInClient} from {ClientIp}")]
    private static partial void LogSucceeded(ILogger logger, string adminUser, string signInClient, string? clientIp);

    [LoggerMessage(Level = LogLevel.Warning, EventName = "AdminSignInFailed",
        Message = "Admin sign-in failed for {AdminUser} as {SignInClient} from {ClientIp}; {FailureCount} failure(s) in its window")]
    private static partial void LogFailed(ILogger logger, string adminUser, string signInClient, string? clientIp, int failureCount);

    [LoggerMessage(Level = LogLevel.Warning, EventName = "AdminSignInLockedOut",
        Message = "Admin sign-in refused for {AdminUser} as {SignInClient} from {ClientIp}: locked until {LockedUntil}")]
    private static partial void LogLockedOut(ILogger logger, string adminUser, string signInClient, string? clientIp, DateTimeOffset lockedUntil);
}
