using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Site.Web.Admin;

/// <summary>
/// The owner's password is kept only as PBKDF2-HMAC-SHA256, encoded as pbkdf2-sha256$iterations$salt$hash (base64).
/// 600 000 iterations is OWASP's current recommendation for this algorithm; the count is stored, so it can be raised later.
/// </summary>
public static class AdminPassword
{
    public const int MinIterations = 600_000;
    public const int MinLength = 12;
    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, MinIterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Scheme, MinIterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    public static bool Verify(string password, string encoded)
    {
        if (!TryParse(encoded, out var iterations, out var salt, out var expected))
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    public static bool TryParse(string? encoded, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = [];
        hash = [];
        return encoded?.Split('$') is [Scheme, var count, var salt64, var hash64]
            && int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out iterations) && iterations >= MinIterations
            && TryBase64(salt64, SaltBytes, out salt)
            && TryBase64(hash64, HashBytes, out hash);
    }

    /// <summary>
    /// The hash-password command: reads the password from stdin (twice and without echo at a terminal, once from a pipe)
    /// and prints only the hash on stdout, so it can be captured straight into a secret.
    /// </summary>
    /// <returns>The process exit code.</returns>
    public static int PrintHash()
    {
        string? password;
        if (Console.IsInputRedirected)
        {
            password = Console.In.ReadLine();
        }
        else
        {
            password = ReadHidden("Password: ");
            if (ReadHidden("Same password again: ") != password)
            {
                Console.Error.WriteLine("The two passwords differ; nothing printed.");
                return 1;
            }
        }

        if (password is null || password.Length < MinLength)
        {
            Console.Error.WriteLine($"Use a password of at least {MinLength} characters; nothing printed.");
            return 1;
        }

        Console.Out.WriteLine(Hash(password));
        return 0;
    }

    private static string ReadHidden(string prompt)
    {
        Console.Error.Write(prompt);
        var text = new StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                text.Length = Math.Max(0, text.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }

        Console.Error.WriteLine();
        return text.ToString();
    }

    private static bool TryBase64(string text, int length, out byte[] bytes)
    {
        bytes = new byte[length];
        return Convert.TryFromBase64String(text, bytes, out var written) && written == length;
    }
}
