using System.ComponentModel.DataAnnotations;
using Site.Web.Hosting;

namespace Site.Web.Admin;

/// <summary>
/// The one owner account. Without a password hash (or with <see cref="AdminSecret.SwitchedOff"/>, what a new deploy's
/// secret holds) the admin area is switched off and the public site runs as usual.
/// </summary>
public sealed class AdminOptions : IValidatableObject
{
    public const string SectionName = AdminVariables.Section;

    public string? User { get; set; }

    /// <summary>What `hash-password` printed; never the password itself.</summary>
    public string? PasswordHash { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(PasswordHash) && PasswordHash.Trim() != AdminSecret.SwitchedOff;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(User))
        {
            yield return new ValidationResult("Admin__PasswordHash is set but Admin__User is empty; set both, or neither to switch the admin area off.");
        }

        if (!AdminPassword.TryParse(PasswordHash, out _, out _, out _))
        {
            yield return new ValidationResult(
                $"Admin__PasswordHash is not a hash printed by `hash-password` (pbkdf2-sha256$<iterations, at least {AdminPassword.MinIterations}>$<salt>$<hash>).");
        }
    }
}
