namespace Site.Web.Common;

/// <summary>
/// A form field people never see or fill (hidden off-screen, skipped by keyboard and screen readers) but
/// form-filling bots do. A filled one is answered like a success and stored nowhere.
/// </summary>
public static partial class Honeypot
{
    public const string FieldName = "Website";

    public static bool Caught(string? value, ILogger logger, string form)
    {
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        LogCaught(logger, form);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, EventName = "HoneypotCaught", Message = "Honeypot field filled on the {Form} form; submission discarded")]
    private static partial void LogCaught(ILogger logger, string form);
}
