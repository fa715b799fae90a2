namespace Site.Web.Common;

/// <summary>
/// A retried submission (double click, browser resend, client retry) carries the same key as the first,
/// and a unique index on it makes the second insert find the first row instead of adding another.
/// </summary>
public static class IdempotencyKey
{
    public const string Header = "Idempotency-Key";

    public static string New() => Guid.NewGuid().ToString("D");

    /// <summary>The key in its stored form, or null when the client sent none or an unusable one.</summary>
    public static string? Normalize(string? key) => Guid.TryParse(key, out var guid) ? guid.ToString("D") : null;
}
