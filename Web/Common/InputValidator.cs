using System.Net.Mail;
using System.Text;

namespace Site.Web.Common;

/// <summary>
/// Cleans and checks visitor text the same way for forms and the API, collecting one message per field
/// that a person can act on.
/// </summary>
public sealed class InputValidator
{
    private readonly Dictionary<string, string[]> errors = new(StringComparer.Ordinal);

    public bool IsValid => errors.Count == 0;

    public IReadOnlyDictionary<string, string[]> Errors => errors;

    /// <summary>Trims the value and checks it is present, within <paramref name="maxLength"/> characters and free of control characters.</summary>
    /// <returns>The trimmed value (empty when missing).</returns>
    public string Text(string field, string label, string? value, int maxLength, bool multiline = false)
    {
        var text = (value ?? "").Trim();
        if (text.Length == 0)
        {
            return Fail(field, $"Please enter {label}.", text);
        }

        if (!IsWellFormed(text))
        {
            return Fail(field, $"{Capitalized(label)} contains characters we can't store. Please retype it.", text);
        }

        if (text.Any(c => char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t')))
        {
            return Fail(field, multiline
                ? $"{Capitalized(label)} contains control characters; only letters, punctuation, tabs and line breaks are allowed."
                : $"{Capitalized(label)} must be a single line without control characters.", text);
        }

        // Counted in Unicode characters, as the database counts them: an emoji is one character, not two.
        var length = text.EnumerateRunes().Count();
        if (length > maxLength)
        {
            return Fail(field, $"{Capitalized(label)} can be at most {maxLength} characters; it has {length}.", text);
        }

        return text;
    }

    public string Email(string field, string? value)
    {
        var text = Text(field, "your email address", value, 254);
        if (errors.ContainsKey(field))
        {
            return text;
        }

        var at = text.LastIndexOf('@');
        var valid = at > 0 && text.IndexOf('.', at) > at + 1 && !text.EndsWith('.') && !text.Any(char.IsWhiteSpace)
            && MailAddress.TryCreate(text, out var address) && address.Address == text;
        return valid ? text : Fail(field, "Please enter an email address like name@example.com.", text);
    }

    private string Fail(string field, string message, string text)
    {
        errors.TryAdd(field, [message]);
        return text;
    }

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return false;
            }

            i += consumed - 1;
            if (rune.Value == 0xFFFD)
            {
                // What an invalid byte sequence in a form post becomes after decoding.
                return false;
            }
        }

        return true;
    }

    private static string Capitalized(string label)
    {
        var words = label.StartsWith("your ", StringComparison.Ordinal) ? "Your " + label[5..] : label;
        return char.ToUpperInvariant(words[0]) + words[1..];
    }
}
