using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Site.Web.Tests.Admin;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Security;

/// <summary>The owner's site on a real Kestrel port: the in-memory test server accepts response headers that Kestrel refuses.</summary>
public sealed class KestrelAdminSiteFactory : AdminSiteFactory
{
    public KestrelAdminSiteFactory() => UseKestrel(0);
}

/// <summary>
/// Hostile requests against every endpoint the app maps, read from its EndpointDataSource, so a route added later is
/// covered without touching this test: hostile query strings, headers, cookies, bodies, content types and encodings,
/// anonymous and as the signed-in owner, with and without a valid antiforgery token. Built from a fixed seed, so a
/// failure names a request that fails again on the next run. No answer may be a 5xx, none may carry the markup it was
/// sent, and every refusal by the app says why.
/// </summary>
public sealed class EveryRouteTests(KestrelAdminSiteFactory site) : IClassFixture<KestrelAdminSiteFactory>
{
    private const int CasesPerRouteAndMethod = 24;

    // Fixed, so every run sends the same requests; EVERY_ROUTE_SEED tries others when looking for the next failure.
    private static readonly int Seed = int.Parse(Environment.GetEnvironmentVariable("EVERY_ROUTE_SEED") ?? "20261201", System.Globalization.CultureInfo.InvariantCulture);

    // {m} is replaced by the markup that must never come back as it was sent.
    private static readonly string[] Values =
    [
        "{m}", "\"><{m}", "'{m}", "javascript:alert(1)", "'; DROP TABLE guestbook_entries; --", "1' OR '1'='1", "\u202E{m}",
        "\u202ENIMDA", "a\u200Bb", "\uFEFFbom", "line\u2028separator", "non\uFFFFcharacter", "\uD800 lone", "nul\0inside", "\u001b[31m",
        "", " ", new string('a', 3000), "../../appsettings.json", "日本語", "🦊", "مرحبا", "${jndi:ldap://x/{m}}", "{{7*7}}", "@(1+1)",
        "-1", "0", "1", "2", "99999999999999999999", "1e9", "NaN", "true", "null", "[]", "{}", "/%E2%80%AE//evil.example",
        "/admin/gästebuch", "/\u202E//evil.example", "//evil.example", "/\\evil.example", "https://evil.example/", "/admin?x={m}",
        "hidden", "handled",
    ];

    // Query string and form values as raw bytes after the percent sign: invalid UTF-8, overlong forms, broken escapes.
    private static readonly string[] RawEncodings = ["%C3%28", "%FF%FE", "%C0%AF", "%ED%A0%80", "%00", "%E2%80%AE", "%u202E", "%", "%%", "%2", "+", "%0d%0aX-Injected:%201"];

    private static readonly string[] Parameters =
        ["page", "before", "after", "posted", "returnUrl", "handler", "code", "id", "hidden", "handled", "x", "Form.Name", "Form[Name", "a]", "[0]", "Form.Name[0"];

    private static readonly (string Name, string[] Values)[] Headers =
    [
        ("X-Forwarded-For", ["not-an-ip", "203.0.113.9, 198.51.100.1", "2001:db8::1", "[::1]:80", "999.999.999.999", "", "{m}"]),
        ("X-Forwarded-Proto", ["https", "ftp", "HTTPS, http", "{m}"]),
        ("Accept", ["application/json", "text/html;q=abc", "*/*;q=-1", "{m}"]),
        ("Accept-Language", ["xx-{m}", "*;q=0", "en;q=2"]),
        ("Cookie", ["admin=garbage", "__Host-admin=%zz", "admin-device=garbage", ".AspNetCore.Antiforgery.x=garbage", "a=b; a=c; {m}"]),
        ("If-None-Match", ["\"abc\"", "*", "W/\"{m}\"", "garbage"]),
        ("If-Modified-Since", ["garbage", "Mon, 01 Jan 0001 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT"]),
        ("Range", ["bytes=0-0", "bytes=99999999999999999999-", "bytes=-0", "bytes=5-1", "bytes=0-1,2-3,4-5", "chars=0-1"]),
        ("Idempotency-Key", ["", "not-a-uuid", "\"8e03978e-40d5-43e8-bc93-6894a57f9324\"", "{m}", "8e03978e-40d5-43e8-bc93-6894a57f9324"]),
        ("RequestVerificationToken", ["garbage", "{m}"]),
        ("X-Amzn-Trace-Id", ["Root={m}", "Root=1-zzzz-yyyy", "Self=;Root=;Parent=", new string('R', 2000)]),
        ("traceparent", ["00-zz-yy-01", "{m}", "00-00000000000000000000000000000000-0000000000000000-00"]),
        ("User-Agent", ["{m}", "", new string('u', 4000)]),
        ("Origin", ["https://evil.example", "null", "{m}"]),
        ("Content-Encoding", ["gzip", "br", "{m}"]),
    ];

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json; charset=utf-8", "application/json; charset=nonsense", "application/json; charset=utf-16",
        "application/json; charset=\"\"", "application/json;;;", "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=nonsense", "multipart/form-data", "multipart/form-data; boundary=" + new string('b', 300),
        "multipart/form-data; boundary=abc", "text/plain", "application/xml", "{m}/{m}", "",
    ];

    private readonly List<string> failures = [];
    private int sent;

    /// <summary>A concrete request, kept as text so a failure can be replayed by hand.</summary>
    private sealed record Probe(string Method, string Path, bool SignedIn, List<(string Name, string Value)> Headers, string? ContentType, byte[]? Body, string Marker)
    {
        public override string ToString() =>
            $"{Method} {Path} ({(SignedIn ? "owner" : "anonymous")}; {string.Join("; ", Headers.Select(h => $"{h.Name}: {Cut(h.Value)}"))}"
            + (ContentType is null ? "" : $"; Content-Type: {ContentType}; body {Cut(Encoding.UTF8.GetString(Body ?? []))}") + ")";

        private static string Cut(string text) => text.Length > 80 ? text[..80] + "…" : text;
    }

    /// <summary>What a visitor's or the owner's browser holds: cookies and the antiforgery token that goes with them.</summary>
    private sealed record Identity(string Cookies, string Token);

    [Fact]
    public async Task NoRouteAnswersAHostileRequestWithAServerErrorOrTheMarkupItWasSent()
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
        }) { BaseAddress = site.Address };

        await site.GuestbookEntriesAsync(3, "Seeded");
        await site.ContactMessagesAsync(3);
        var anonymous = await AnonymousAsync(http);
        var owner = await OwnerAsync(http);
        var routes = Routes();
        var forms = await FormFieldsAsync(http, routes, owner);

        var matched = new MatchedRoutes();
        using var subscription = site.Services.GetRequiredService<DiagnosticListener>().Subscribe(matched, MatchedRoutes.IsEnabled);
        var random = new Random(Seed);
        foreach (var (route, methods) in routes)
        {
            foreach (var method in methods)
            {
                for (var i = 0; i < CasesPerRouteAndMethod; i++)
                {
                    await SendAsync(http, Build(random, route, method, forms, anonymous, owner));
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} requests failed:\n" + string.Join("\n", failures.Take(40)));

        // Each route took some of the requests as its own, so a route whose constraints the made-up values never
        // meet can't pass unprobed.
        Assert.Empty(routes.Select(r => r.Route.RawText!).Except(matched.Routes));
    }

    /// <summary>Every route pattern with the methods it answers: an endpoint's own, a page's handlers', and ones it doesn't answer.</summary>
    private List<(RoutePattern Route, string[] Methods)> Routes() =>
        site.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .GroupBy(e => e.RoutePattern.RawText ?? "")
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.First().RoutePattern, g.SelectMany(Methods).Append("HEAD").Append("PUT").Append("OPTIONS").Distinct().Order(StringComparer.Ordinal).ToArray()))
            .ToList();

    private static IEnumerable<string> Methods(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods
        ?? (endpoint.Metadata.GetMetadata<CompiledPageActionDescriptor>() is { } page
            ? page.HandlerMethods.Select(h => h.HttpMethod.ToUpperInvariant()).Append("GET")
            : ["GET", "POST"]);

    /// <summary>The names of the fields of each page's forms, as the owner sees them, so posts carry the fields a handler binds.</summary>
    private static async Task<Dictionary<string, string[]>> FormFieldsAsync(HttpClient http, List<(RoutePattern Route, string[] Methods)> routes, Identity owner)
    {
        var fields = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (route, _) in routes.Where(r => r.Route.Parameters.Count == 0))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/" + route.RawText!.TrimStart('/'));
            request.Headers.Add("Cookie", owner.Cookies);
            using var response = await http.SendAsync(request);
            if (response.Content.Headers.ContentType?.MediaType != "text/html")
            {
                continue;
            }

            var page = await Html.ParseAsync(response);
            foreach (var form in page.QuerySelectorAll<IHtmlFormElement>("form[method=post]"))
            {
                var path = new Uri(new Uri("http://x/"), form.GetAttribute("action") ?? "/").AbsolutePath.TrimStart('/');
                fields[path] = [.. (fields.GetValueOrDefault(path) ?? []).Union(form.Elements.Select(e => e.GetAttribute("name")).OfType<string>())];
            }
        }

        Assert.NotEmpty(fields);
        return fields;
    }

    private static Probe Build(Random random, RoutePattern route, string method, Dictionary<string, string[]> forms, Identity anonymous, Identity owner)
    {
        var marker = $"<hx{random.Next(1_000_000, 9_999_999)}>";
        string Pick(string[] values) => values[random.Next(values.Length)].Replace("{m}", marker, StringComparison.Ordinal);
        string Value() => random.Next(4) == 0 ? RawEncodings[random.Next(RawEncodings.Length)] : Encode(Pick(Values));

        var path = "/" + string.Join("/", route.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter when parameter.ParameterPolicies.Any(p => p.Content is "long" or "int") && random.Next(3) > 0 =>
                Pick(["1", "2", "0", "-1", "404", "500", "503", "2147483648", "99999999999999999999"]),
            RoutePatternParameterPart => random.Next(3) == 0 ? "gallery/city-dusk-480.webp" : Value(),
            _ => "",
        }))));

        // A value that starts with slashes, in a route that starts with a parameter (/{slug}), would otherwise make
        // "//evil.example", which is another host to the client, not a path.
        path = "/" + path.TrimStart('/').Replace("//", "/", StringComparison.Ordinal);

        var query = Enumerable.Range(0, random.Next(4)).Select(_ => $"{Encode(Parameters[random.Next(Parameters.Length)])}={Value()}").ToList();
        if (query.Count > 0)
        {
            path += "?" + string.Join("&", query);
        }

        var signedIn = random.Next(2) == 0;
        var identity = signedIn ? owner : anonymous;
        var headers = Enumerable.Range(0, random.Next(4)).Select(_ => Headers[random.Next(Headers.Length)]).DistinctBy(h => h.Name)
            .Select(h => (h.Name, Value: Pick(h.Values))).ToList();
        var cookie = headers.FindIndex(h => h.Name == "Cookie");
        var validToken = random.Next(2) == 0;
        if (cookie < 0 || random.Next(2) == 0)
        {
            // The identity's cookies, spoiled now and then by the hostile one.
            var spoiled = cookie >= 0 ? "; " + headers[cookie].Value : "";
            headers.RemoveAll(h => h.Name == "Cookie");
            headers.Add(("Cookie", identity.Cookies + spoiled));
        }

        if (validToken && method != "GET" && method != "HEAD")
        {
            headers.RemoveAll(h => h.Name == "RequestVerificationToken");
            headers.Add(("RequestVerificationToken", identity.Token));
        }

        if (method is "GET" or "HEAD" or "OPTIONS" && random.Next(6) > 0)
        {
            return new Probe(method, path, signedIn, headers, null, null, marker);
        }

        var contentType = Pick(ContentTypes);
        var fields = forms.GetValueOrDefault(route.RawText!.TrimStart('/')) ?? ["name", "message", "Form.Name", "Form.Message"];
        var body = random.Next(3) switch
        {
            0 => "{" + string.Join(",", fields.Take(3).Select(f => $"{System.Text.Json.JsonSerializer.Serialize(f.Split('.')[^1].ToLowerInvariant())}:{System.Text.Json.JsonSerializer.Serialize(Pick(Values))}")) + "}",
            1 => string.Join("&", fields.Append(Parameters[random.Next(Parameters.Length)]).Select(f => f == "__RequestVerificationToken" && validToken ? $"{f}={Uri.EscapeDataString(identity.Token)}" : $"{Encode(f)}={Value()}")),
            _ => Pick(Values),
        };
        return new Probe(method, path, signedIn, headers, contentType, Encoding.UTF8.GetBytes(body), marker);
    }

    /// <summary>Percent-encodes the UTF-8 bytes of anything but unreserved characters; a lone surrogate becomes U+FFFD's bytes.</summary>
    private static string Encode(string value)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            builder.Append(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~' or (byte)'/' ? ((char)b).ToString() : $"%{b:X2}");
        }

        return builder.ToString();
    }

    private async Task SendAsync(HttpClient http, Probe probe)
    {
        sent++;
        using var request = new HttpRequestMessage(new HttpMethod(probe.Method), probe.Path);
        if (probe.Body is not null)
        {
            request.Content = new ByteArrayContent(probe.Body);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", probe.ContentType);
        }

        foreach (var (name, value) in probe.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request);
        }
        catch (HttpRequestException exception)
        {
            failures.Add($"no answer ({exception.Message}) to {probe}");
            return;
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync();
            if (status >= 500)
            {
                failures.Add($"{status} for {probe}");
            }
            else if (body.Contains(probe.Marker, StringComparison.Ordinal))
            {
                failures.Add($"{status} reflecting {probe.Marker} for {probe}");
            }
            else if (status >= 400 && probe.Method != "HEAD" && response.Headers.Contains("X-Trace-Id") && body.Trim().Length == 0
                     && !(status == 416 && response.Content.Headers.ContentRange is not null)
                     && !(probe.Path.StartsWith("/api/", StringComparison.Ordinal) && probe.Headers.Any(h => h.Name == "Accept" && h.Value != "application/json")))
            {
                // Kestrel refuses malformed requests before the app sees them; answers from the app carry its trace id.
                // A 416 says what is wrong in its Content-Range (the size there is), and an API client whose Accept
                // leaves out JSON gets the status alone: problem details are JSON, which it said it doesn't take.
                failures.Add($"{status} without a word of why for {probe}");
            }
        }
    }

    private static async Task<Identity> AnonymousAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri("/guestbook", UriKind.Relative));
        var page = await Html.ParseAsync(response);
        return new Identity(Cookies(response, ""), page.QuerySelector<IHtmlInputElement>("input[name=__RequestVerificationToken]")!.Value);
    }

    /// <summary>Signs in as the owner over the wire, as a browser without a cookie jar would, and fetches the owner's antiforgery token.</summary>
    private static async Task<Identity> OwnerAsync(HttpClient http)
    {
        var visitor = await AnonymousAsync(http);
        using var login = new HttpRequestMessage(HttpMethod.Post, "/admin/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Form.User"] = AdminSiteFactory.User,
                ["Form.Password"] = AdminSiteFactory.Password,
                ["__RequestVerificationToken"] = visitor.Token,
            }),
        };
        login.Headers.Add("Cookie", visitor.Cookies);
        using var signedIn = await http.SendAsync(login);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var cookies = Cookies(signedIn, visitor.Cookies);

        using var tokenRequest = new HttpRequestMessage(HttpMethod.Get, "/api/admin/antiforgery");
        tokenRequest.Headers.Add("Cookie", cookies);
        using var token = await http.SendAsync(tokenRequest);
        using var json = System.Text.Json.JsonDocument.Parse(await token.Content.ReadAsStringAsync());
        return new Identity(Cookies(token, cookies), json.RootElement.GetProperty("token").GetString()!);
    }

    /// <summary>The cookies a browser would send next: those it had, updated by the answer's Set-Cookie.</summary>
    private static string Cookies(HttpResponseMessage response, string had)
    {
        var jar = had.Split("; ", StringSplitOptions.RemoveEmptyEntries).Select(c => c.Split('=', 2)).ToDictionary(c => c[0], c => c[1]);
        foreach (var set in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
        {
            var pair = set.Split(';')[0].Split('=', 2);
            jar[pair[0]] = pair[1];
        }

        return string.Join("; ", jar.Select(c => $"{c.Key}={c.Value}"));
    }

    /// <summary>The route of every request that routing matched to an endpoint, from the app's own diagnostic events.</summary>
    private sealed class MatchedRoutes : IObserver<KeyValuePair<string, object?>>
    {
        private const string EndpointMatched = "Microsoft.AspNetCore.Routing.EndpointMatched";
        private readonly ConcurrentDictionary<string, bool> routes = new();

        public IEnumerable<string> Routes => routes.Keys;

        public static bool IsEnabled(string name) => name == EndpointMatched;

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value is { Key: EndpointMatched, Value: HttpContext context } && context.GetEndpoint() is RouteEndpoint endpoint)
            {
                routes.TryAdd(endpoint.RoutePattern.RawText!, true);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
