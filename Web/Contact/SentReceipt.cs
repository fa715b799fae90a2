using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Site.Web.Contact;

/// <summary>
/// The proof, carried in the redirect after a message is stored, that the thank-you page follows a real post: opened
/// without one (or with one more than a few minutes old) it sends the visitor to the form instead of thanking them.
/// Signed with the site's shared keys, so any task accepts it, and it needs no cookie.
/// </summary>
public sealed class SentReceipt(IDataProtectionProvider provider)
{
    public const string QueryName = "receipt";
    private const string Content = "contact-sent";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly ITimeLimitedDataProtector protector = provider.CreateProtector("Site.Contact.SentReceipt").ToTimeLimitedDataProtector();

    /// <summary>The thank-you page's address with a fresh receipt.</summary>
    public string SentPath() => $"/contact/sent?{QueryName}={Uri.EscapeDataString(protector.Protect(Content, Lifetime))}";

    public bool IsValid(string? receipt)
    {
        if (string.IsNullOrEmpty(receipt))
        {
            return false;
        }

        try
        {
            return protector.Unprotect(receipt) == Content;
        }
        catch (CryptographicException)
        {
            // Tampered with, expired, or signed with a key the site no longer has.
            return false;
        }
    }
}
