using System.Globalization;
using System.Text.Json;
using Site.Cdk.Service;

namespace Site.Web.Tests.Infrastructure;

/// <summary>
/// Runs a saved query (Cdk/Service/LogQueries.cs, compiled into these tests too) over captured log lines as CloudWatch
/// Logs Insights reads them: nested JSON flattened into dotted field names, a filter, then the events or their groups.
/// </summary>
public static class LogsInsights
{
    /// <summary>One result: the values of the query's By fields (for a stats query) and the events behind it.</summary>
    public sealed record Row(IReadOnlyDictionary<string, string?> Key, IReadOnlyList<JsonElement> Events);

    /// <summary>A field as Logs Insights names it ("EventId.Name" for {"EventId": {"Name": …}}), or null when absent.</summary>
    public static JsonElement? Field(JsonElement e, string name)
    {
        var current = e;
        foreach (var part in name.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return null;
            }
        }

        return current.ValueKind == JsonValueKind.Null ? null : current;
    }

    public static string? Text(JsonElement e, string name) => Field(e, name) is { } value
        ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
        : null;

    public static bool Matches(LogCondition condition, JsonElement e, IReadOnlyDictionary<string, string> placeholders) => condition switch
    {
        LogCondition.Equal equal => Text(e, equal.Field) == placeholders.GetValueOrDefault(equal.Value, equal.Value),
        LogCondition.AtLeast atLeast => Field(e, atLeast.Field) is { ValueKind: JsonValueKind.Number } number && number.GetDouble() >= atLeast.Value,
        LogCondition.OneOf oneOf => Text(e, oneOf.Field) is { } value && oneOf.Values.Contains(value),
        LogCondition.Present present => Field(e, present.Field) is not null,
        LogCondition.All all => all.Parts.All(p => Matches(p, e, placeholders)),
        _ => throw new ArgumentException($"No evaluation for {condition}.", nameof(condition)),
    };

    /// <summary>The rows the query returns: one per matching event, or one per group of its By fields.</summary>
    public static IReadOnlyList<Row> Run(LogQuery query, IEnumerable<JsonElement> events, IReadOnlyDictionary<string, string>? placeholders = null)
    {
        var matching = events.Where(e => Matches(query.Filter, e, placeholders ?? new Dictionary<string, string>())).ToList();
        if (query.Stats.Count == 0)
        {
            return [.. matching.Select(e => new Row(new Dictionary<string, string?>(), [e]))];
        }

        return [.. matching
            .GroupBy(e => string.Join('\u001f', query.By.Select(by => Text(e, by) ?? "\u0000")))
            .Select(group => new Row(query.By.ToDictionary(by => by, by => Text(group.First(), by)), [.. group]))];
    }

    /// <summary>Fields the query shows or aggregates that none of its matching events has: a column that would stay empty.</summary>
    public static IEnumerable<string> EmptyColumns(LogQuery query, IReadOnlyList<Row> rows)
    {
        var events = rows.SelectMany(r => r.Events).ToList();
        return query.Fields.Concat(query.Stats.Select(s => s.Field).OfType<string>()).Concat(query.By)
            .Where(f => f != LogQueries.Timestamp && !events.Any(e => Field(e, f) is not null))
            .Distinct();
    }

    public static string Describe(IEnumerable<Row> rows) => string.Join('\n', rows.Select(r =>
        string.Join(", ", r.Key.Select(k => $"{k.Key}={k.Value ?? "(absent)"}")) + $": {r.Events.Count.ToString(CultureInfo.InvariantCulture)} event(s)"));
}
