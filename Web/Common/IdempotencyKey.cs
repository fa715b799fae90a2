namespace Site.Web.Common;

/// <summary>
/// A retried submission (double click, browser resend, client retry) carries the same key as the first,
/// and a unique index on it makes the second insert find the first row instead of adding another. A key sent
/// again with different content finds a row that isn't what was sent: that is refused (422, as the IETF
/// Idempotency-Key draft says), never answered with the first row as if the second had been stored.
/// </summary>
public static class IdempotencyKey
{
    public const string Header = "Idempotency-Key";

    public const string ReusedTitle = "Idempotency-Key is already used";

    public const string ReusedDetail =
        "This Idempotency-Key came with a different entry before, and that entry is the one stored; this one was not. Send a new entry with a new key.";

    public const string MalformedTitle = "Idempotency-Key is not a UUID";

    public const string MalformedDetail = "Send a UUID as the Idempotency-Key (such as 8e03978e-40d5-43e8-bc93-6894a57f9324), or no key.";

    public static string New() => Guid.NewGuid().ToString("D");

    /// <summary>
    /// The key in its stored form, or null when there is none or it is unusable. The header may carry it as a
    /// structured-field string ("..."), as the draft's examples do.
    /// </summary>
    public static string? Normalize(string? key) => Guid.TryParse(key?.Trim().Trim('"'), out var guid) ? guid.ToString("D") : null;

    /// <summary>True when the client sent something as a key that isn't one, rather than no key at all.</summary>
    public static bool IsMalformed(string? key) => !string.IsNullOrWhiteSpace(key) && Normalize(key) is null;
}
