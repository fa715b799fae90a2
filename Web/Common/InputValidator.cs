using System.Globalization;
using System.Net.Mail;
using System.Text;

namespace Site.Web.Common;

/// <summary>
/// Cleans and checks visitor text the same way for forms and the API, collecting one message per field
/// that a person can act on.
/// </summary>
public sealed class InputValidator
{
    public const int NameMaxLength = 60;
    public const int EmailMaxLength = 254;

    private readonly Dictionary<string, string[]> errors = new(StringComparer.Ordinal);

    public bool IsValid => errors.Count == 0;

    public IReadOnlyDictionary<string, string[]> Errors => errors;

    /// <summary>
    /// Trims the value and checks it is present, within <paramref name="maxLength"/> characters, and free of control
    /// characters and of characters that would make it display as something other than what it says.
    /// </summary>
    /// <returns>The trimmed value (empty when missing).</returns>
    public string Text(string field, string label, string? value, int maxLength, bool multiline = false)
    {
        var text = Normalize(value, multiline);
        if (text.Length == 0)
        {
            return Fail(field, $"Please enter {label}.", text);
        }

        if (!IsWellFormed(text))
        {
            return Fail(field, $"{Capitalized(label)} contains characters we can't store. Please retype it.", text);
        }

        foreach (var rune in text.EnumerateRunes())
        {
            if (Refusal(rune, Capitalized(label), multiline) is { } message)
            {
                return Fail(field, message, text);
            }
        }

        var length = LengthOf(text);
        if (length > maxLength)
        {
            return Fail(field, $"{Capitalized(label)} can be at most {maxLength} characters; it has {length}.", text);
        }

        return text;
    }

    /// <summary>
    /// The value as it is checked and stored: trimmed, and for multiline text with every line break a plain "\n". A
    /// form posted without JavaScript sends "\r\n", which would otherwise be stored and rendered as "&amp;#xD;".
    /// guestbook.js's counter does the same before counting.
    /// </summary>
    public static string Normalize(string? value, bool multiline)
    {
        var text = value ?? "";
        return (multiline ? text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n') : text).Trim();
    }

    /// <summary>Counted in Unicode characters, as the database counts them: an emoji is one character, not two.</summary>
    public static int LengthOf(string text) => text.EnumerateRunes().Count();

    public string Name(string field, string? value) => Text(field, "your name", value, NameMaxLength);

    public string Email(string field, string? value)
    {
        var text = Text(field, "your email address", value, EmailMaxLength);
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

    /// <summary>
    /// Why a character is refused, or null. Direction overrides and isolates would make "\u202ENIMDA" display as
    /// "ADMIN", and invisible ones (zero-width space, BOM, word joiner, tags) hide text or make two names that look
    /// the same differ; the zero-width joiner and non-joiner stay, as they are part of emoji and of words in many scripts.
    /// </summary>
    private static string? Refusal(Rune rune, string what, bool multiline)
    {
        var code = $"U+{rune.Value:X4}";
        return rune.Value switch
        {
            '\n' or '\r' or '\t' when multiline => null,
            0x2028 or 0x2029 when multiline => $"{what} contains a Unicode line separator ({code}). Please use an ordinary line break instead.",
            0x2028 or 0x2029 => $"{what} must be a single line without control characters.",
            _ when Rune.IsControl(rune) => multiline
                ? $"{what} contains control characters; only letters, punctuation, tabs and line breaks are allowed."
                : $"{what} must be a single line without control characters.",
            0x061C or 0x200E or 0x200F or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069) =>
                $"{what} contains a hidden character that changes the direction of the text around it ({code}). Please retype it.",
            0x200C or 0x200D => null,
            // Noncharacters: U+FDD0 to U+FDEF, and the last two code points of every plane.
            _ when rune.Value is >= 0xFDD0 and <= 0xFDEF || (rune.Value & 0xFFFE) == 0xFFFE => $"{what} contains {code}, which is not a character. Please retype it.",
            _ when Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format => $"{what} contains an invisible character ({code}). Please retype it.",
            _ => null,
        };
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
