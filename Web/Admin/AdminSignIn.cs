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
/// within <see cref="FailureWindow"/>. The count is for the one account, whatever user name was typed, so a lockout
/// reveals nothing about which names exist. It lives in the database (Data/Migrations/0002_admin_sign_in.sql), so it
/// holds for the site as a whole however many tasks run, and survives their restarts.
/// </summary>
public sealed partial class AdminSignIn(IOptions<AdminOptions> options, Db db, TimeProvider clock, ILogger<AdminSignIn> logger) : IDisposable
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan LockoutTime = TimeSpan.FromMinutes(15);

    // One check at a time in this task: a flood of sign-ins keeps at most one core busy with PBKDF2 while the site
    // goes on serving visitors.
    private readonly SemaphoreSlim gate = new(1, 1);

    public async Task<AdminSignInResult> CheckAsync(string user, string password, string? clientIp, CancellationToken cancellationToken)
    {
        var admin = options.Value;
        if (!admin.Enabled)
        {
            return new AdminSignInResult(SignInOutcome.Disabled);
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            var loggedUser = user.Length > 100 ? user[..100] : user;

            // While locked, not even the password is hashed.
            var lockedUntil = await db.RunAsync("admin.sign_in_state", connection => LockedUntilAsync(connection, null, cancellationToken), cancellationToken);
            var now = clock.GetUtcNow();
            if (now < lockedUntil)
            {
                return LockedOut(loggedUser, clientIp, lockedUntil, now);
            }

            // Both checks always run, so a wrong user name costs the same time as a wrong password. The hashing is done
            // before the row lock is taken, so no task holds it for the length of a PBKDF2.
            var passwordMatches = AdminPassword.Verify(password, admin.PasswordHash!);
            var userMatches = CryptographicOperations.FixedTimeEquals(
                SHA256.HashData(Encoding.UTF8.GetBytes(user)), SHA256.HashData(Encoding.UTF8.GetBytes(admin.User!)));
            return await db.RunAsync("admin.sign_in", connection =>
                RecordAsync(connection, passwordMatches & userMatches, loggedUser, clientIp, cancellationToken), cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Records the outcome under the row lock, which orders the checks of every task. A check that finds the account
    /// locked by now (another task's attempt was the fifth failure) answers "locked" whatever the password was, so the
    /// attempts in flight when the lockout began tell an attacker nothing.
    /// </summary>
    private async Task<AdminSignInResult> RecordAsync(
        MySqlConnection connection, bool matches, string loggedUser, string? clientIp, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var lockedUntil = await LockedUntilAsync(connection, transaction, cancellationToken);
        var now = clock.GetUtcNow();
        if (now < lockedUntil)
        {
            return LockedOut(loggedUser, clientIp, lockedUntil, now);
        }

        CommandDefinition Sql(string sql, object? parameters = null) => new(sql, parameters, transaction, cancellationToken: cancellationToken);
        if (matches)
        {
            await connection.ExecuteAsync(Sql("DELETE FROM admin_sign_in_failures"));
            await transaction.CommitAsync(cancellationToken);
            LogSucceeded(logger, loggedUser, clientIp);
            return new AdminSignInResult(SignInOutcome.SignedIn);
        }

        var failures = await connection.ExecuteScalarAsync<int>(Sql(
            """
            DELETE FROM admin_sign_in_failures WHERE failed_at <= @windowStart;
            INSERT INTO admin_sign_in_failures (failed_at) VALUES (@now);
            SELECT COUNT(*) FROM admin_sign_in_failures;
            """,
            new { now = now.UtcDateTime, windowStart = (now - FailureWindow).UtcDateTime }));
        if (failures >= MaxFailures)
        {
            await connection.ExecuteAsync(Sql(
                "DELETE FROM admin_sign_in_failures; UPDATE admin_sign_in SET locked_until = @until WHERE id = 1",
                new { until = (now + LockoutTime).UtcDateTime }));
        }

        await transaction.CommitAsync(cancellationToken);
        LogFailed(logger, loggedUser, clientIp, failures);
        return new AdminSignInResult(SignInOutcome.WrongCredentials);
    }

    /// <summary>The end of the current lockout (in the past when there is none); in a transaction, it takes the row lock.</summary>
    private static async Task<DateTimeOffset> LockedUntilAsync(MySqlConnection connection, MySqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var stored = await connection.QuerySingleAsync<DateTime?>(new CommandDefinition(
            "SELECT locked_until FROM admin_sign_in WHERE id = 1" + (transaction is null ? "" : " FOR UPDATE"),
            transaction: transaction, cancellationToken: cancellationToken));
        return stored is { } until ? new DateTimeOffset(DateTime.SpecifyKind(until, DateTimeKind.Utc)) : DateTimeOffset.MinValue;
    }

    private AdminSignInResult LockedOut(string loggedUser, string? clientIp, DateTimeOffset lockedUntil, DateTimeOffset now)
    {
        LogLockedOut(logger, loggedUser, clientIp, lockedUntil);
        return new AdminSignInResult(SignInOutcome.LockedOut, lockedUntil - now);
    }

    public void Dispose() => gate.Dispose();

    [LoggerMessage(Level = LogLevel.Information, EventName = "AdminSignInSucceeded", Message = "Admin sign-in succeeded for {AdminUser} from {ClientIp}")]
    private static partial void LogSucceeded(ILogger logger, string adminUser, string? clientIp);

    [LoggerMessage(Level = LogLevel.Warning, EventName = "AdminSignInFailed",
        Message = "Admin sign-in failed for {AdminUser} from {ClientIp}; {FailureCount} failure(s) in the window")]
    private static partial void LogFailed(ILogger logger, string adminUser, string? clientIp, int failureCount);

    [LoggerMessage(Level = LogLevel.Warning, EventName = "AdminSignInLockedOut",
        Message = "Admin sign-in refused for {AdminUser} from {ClientIp}: locked until {LockedUntil}")]
    private static partial void LogLockedOut(ILogger logger, string adminUser, string? clientIp, DateTimeOffset lockedUntil);
}
