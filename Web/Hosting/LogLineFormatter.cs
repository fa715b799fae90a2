using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Json;
using Serilog.Parsing;
using Serilog.Templates;

namespace Site.Web.Hosting;

/// <summary>
/// Writes each event as one JSON line, exactly as <see cref="Template"/> does: time, level, template, message, traceId,
/// spanId, exception, then every property. These names are what the CloudWatch saved queries and metric filters select
/// on (docs/troubleshooting.md); changing one breaks the on-call queries. Written by hand because every request writes
/// one, and the template allocates ten times as much per event (docs/benchmarks.md); an event whose message holds
/// anything but plain values (a structure, a list, an aligned hole) is rare, and the template itself writes it.
/// </summary>
public sealed class LogLineFormatter : ITextFormatter
{
    public const string Template =
        "{ {time: UtcDateTime(@t), level: @l, template: @mt, message: @m, traceId: @tr, spanId: @sp, exception: @x, ..@p} }\n";

    private static readonly JsonValueFormatter Values = new(typeTagName: "$type");
    // Compiled on first use: nearly every event is written by hand, and compiling costs start-up time.
    private readonly Lazy<ExpressionTemplate> template = new(() => new ExpressionTemplate(Template));

    public void Format(LogEvent logEvent, TextWriter output)
    {
        if (!PlainMessage(logEvent))
        {
            template.Value.Format(logEvent, output);
            return;
        }

        output.Write("{\"time\":\"");
        output.Write(logEvent.Timestamp.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        output.Write("\",\"level\":\"");
        output.Write(logEvent.Level switch
        {
            LogEventLevel.Verbose => "Verbose",
            LogEventLevel.Debug => "Debug",
            LogEventLevel.Information => "Information",
            LogEventLevel.Warning => "Warning",
            LogEventLevel.Error => "Error",
            _ => "Fatal",
        });
        output.Write("\",\"template\":");
        JsonValueFormatter.WriteQuotedJsonString(logEvent.MessageTemplate.Text, output);
        output.Write(",\"message\":");
        JsonValueFormatter.WriteQuotedJsonString(Message(logEvent), output);
        if (logEvent.TraceId is { } traceId)
        {
            output.Write(",\"traceId\":\"");
            output.Write(traceId.ToHexString());
            output.Write('"');
        }

        if (logEvent.SpanId is { } spanId)
        {
            output.Write(",\"spanId\":\"");
            output.Write(spanId.ToHexString());
            output.Write('"');
        }

        if (logEvent.Exception is { } exception)
        {
            output.Write(",\"exception\":");
            JsonValueFormatter.WriteQuotedJsonString(exception.ToString(), output);
        }

        foreach (var (name, value) in logEvent.Properties)
        {
            output.Write(',');
            JsonValueFormatter.WriteQuotedJsonString(name, output);
            output.Write(':');
            Values.Format(value, output);
        }

        output.Write("}\n");
    }

    /// <summary>Whether every hole of the message is a plain value, unaligned, or has no value at all.</summary>
    private static bool PlainMessage(LogEvent logEvent)
    {
        foreach (var token in logEvent.MessageTemplate.Tokens)
        {
            if (token is PropertyToken property && (property.Alignment is not null
                || (logEvent.Properties.TryGetValue(property.PropertyName, out var value) && value is not ScalarValue { Value: string or bool or Enum or byte or short or ushort or int or uint or long or ulong or float or double or decimal })))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The rendered message, with string values as they are, not quoted.</summary>
    private static string Message(LogEvent logEvent)
    {
        using var message = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var token in logEvent.MessageTemplate.Tokens)
        {
            if (token is PropertyToken property && logEvent.Properties.TryGetValue(property.PropertyName, out var value) && value is ScalarValue { Value: string text })
            {
                message.Write(text);
            }
            else
            {
                token.Render(logEvent.Properties, message);
            }
        }

        return message.ToString();
    }
}
