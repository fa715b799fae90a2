using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

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
/// reveals nothing about which names exist. It lives in this task's memory: with N tasks an attacker gets up to N times
/// the attempts, still bounded by the per-IP login rate limit.
/// </summary>
public sealed partial class AdminSignIn(IOptions<AdminOptions> options, TimeProvider clock, ILogger<AdminSignIn> logger) : IDisposable
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan LockoutTime = TimeSpan.FromMinutes(15);

    // One check at a time: the failure count stays exact under parallel attempts, and a flood of
    // sign-ins keeps at most one core busy with PBKDF2 while the site goes on serving visitors.
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Queue<DateTimeOffset> failures = new();
    private DateTimeOffset lockedUntil = DateTimeOffset.MinValue;

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
            var now = clock.GetUtcNow();
            var loggedUser = user.Length > 100 ? user[..100] : user;
            if (now < lockedUntil)
            {
                LogLockedOut(logger, loggedUser, clientIp, lockedUntil);
                return new AdminSignInResult(SignInOutcome.LockedOut, lockedUntil - now);
            }

            // Both checks always run, so a wrong user name costs the same time as a wrong password.
            var passwordMatches = AdminPassword.Verify(password, admin.PasswordHash!);
            var userMatches = CryptographicOperations.FixedTimeEquals(
                SHA256.HashData(Encoding.UTF8.GetBytes(user)), SHA256.HashData(Encoding.UTF8.GetBytes(admin.User!)));
            if (passwordMatches & userMatches)
            {
                failures.Clear();
                LogSucceeded(logger, loggedUser, clientIp);
                return new AdminSignInResult(SignInOutcome.SignedIn);
            }

            while (failures.TryPeek(out var oldest) && now - oldest >= FailureWindow)
            {
                failures.Dequeue();
            }

            failures.Enqueue(now);
            LogFailed(logger, loggedUser, clientIp, failures.Count);
            if (failures.Count >= MaxFailures)
            {
                failures.Clear();
                lockedUntil = now + LockoutTime;
            }

            return new AdminSignInResult(SignInOutcome.WrongCredentials);
        }
        finally
        {
            gate.Release();
        }
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
