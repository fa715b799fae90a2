using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Site.Cdk.Tests.Synthesis;

namespace Site.Deploy.Tests.Rehearsal;

/// <summary>
/// What only AWS knows at deploy time, given by the rehearsal: the database's endpoint, its proxy's (where there is one)
/// and the bucket's name.
/// </summary>
public sealed record StandIns(string DatabaseHost, int DatabasePort, string MediaBucket, string? ProxyHost = null);

/// <summary>
/// Template values as CloudFormation resolves them when it deploys the stacks, and secrets as Secrets Manager
/// generates them, with <see cref="StandIns"/> for the resources that exist only in AWS. Anything else it meets
/// fails the rehearsal with the value it could not resolve: a new kind of setting must be stood in for on purpose.
/// </summary>
/// <param name="secrets">The account's secrets by ARN, as generated so far: shared by the sites of one environment.</param>
public sealed class DeployTime(SynthesizedSite site, StandIns standIns, Dictionary<string, JsonObject> secrets)
{
    public const string AccountId = "111122223333";
    private const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    public static string Region => SynthesizedSite.Region;

    /// <summary>A value of a stack's template, resolved; dynamic references last, as CloudFormation does.</summary>
    public string Resolve(StackTemplate stack, JsonElement value) => ResolveDynamicReference(Evaluate(stack, value));

    private string Evaluate(StackTemplate stack, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.ToString(),
        JsonValueKind.Object when value.TryGetProperty("Ref", out var name) => Ref(stack, name.GetString()!),
        JsonValueKind.Object when value.TryGetProperty("Fn::GetAtt", out var att) => GetAtt(stack, att[0].GetString()!, att[1].GetString()!),
        JsonValueKind.Object when value.TryGetProperty("Fn::ImportValue", out var export) => Import(export.GetString()!),
        JsonValueKind.Object when value.TryGetProperty("Fn::Join", out var join) =>
            string.Join(join[0].GetString(), join[1].EnumerateArray().Select(part => Evaluate(stack, part))),
        _ => throw new NotSupportedException($"{stack.Name}: the rehearsal cannot resolve {value}"),
    };

    /// <summary>
    /// The value ECS injects for a container secret: <c>arn:...:secret:NAME:json-key:version-stage:version-id</c>,
    /// the whole secret string when no key is named.
    /// </summary>
    public string SecretValue(string valueFrom)
    {
        var parts = valueFrom.Split(':');
        var secret = Secret(string.Join(':', parts[..7]));
        if (parts.Length <= 7 || parts[7].Length == 0)
        {
            return secret.ToJsonString();
        }

        return secret[parts[7]]?.GetValue<string>()
            ?? throw new InvalidOperationException($"The secret {valueFrom} has no field '{parts[7]}': ECS would fail to start the task.");
    }

    /// <summary>The secret a Secrets Manager ARN names, generated once as Secrets Manager generates it.</summary>
    public JsonObject Secret(string arn)
    {
        if (secrets.TryGetValue(arn, out var known))
        {
            return known;
        }

        var id = arn.Split(':')[6];
        var (stack, properties) = site.Stacks
            .SelectMany(s => s.Resources("AWS::SecretsManager::Secret").Select(r => (Stack: s, r.Id, r.Properties)))
            .Where(r => r.Id == id)
            .Select(r => (r.Stack, r.Properties))
            .Single();
        var value = properties.Has("SecretString")
            ? JsonNode.Parse(Resolve(stack, properties.At("SecretString")))!.AsObject()
            : Generate(properties.At("GenerateSecretString"));

        // RDS writes the instance's endpoint into the secret it is attached to.
        foreach (var attachment in stack.Resources("AWS::SecretsManager::SecretTargetAttachment")
                     .Where(a => a.Properties.At("SecretId").Target() == id))
        {
            var instance = attachment.Properties.At("TargetId").Target();
            value["host"] = GetAtt(stack, instance, "Endpoint.Address");
            value["port"] = int.Parse(GetAtt(stack, instance, "Endpoint.Port"), CultureInfo.InvariantCulture);
            value["engine"] = "mysql";
        }

        secrets[arn] = value;
        return value;
    }

    private string Ref(StackTemplate stack, string name) => name switch
    {
        "AWS::Region" => Region,
        "AWS::AccountId" => AccountId,
        "AWS::Partition" => "aws",
        "AWS::URLSuffix" => "amazonaws.com",
        "AWS::StackName" => stack.Name,
        _ => stack.Resource(name).Str("Type") switch
        {
            "AWS::S3::Bucket" => standIns.MediaBucket,
            "AWS::SecretsManager::Secret" => $"arn:aws:secretsmanager:{Region}:{AccountId}:secret:{name}",
            // CloudFormation's Ref of an attachment is the ARN of the secret it attaches.
            "AWS::SecretsManager::SecretTargetAttachment" => Resolve(stack, stack.Resource(name).At("Properties", "SecretId")),
            var type => throw new NotSupportedException($"{stack.Name}: no stand-in for Ref {name} ({type})"),
        },
    };

    private string GetAtt(StackTemplate stack, string id, string attribute) => (stack.Resource(id).Str("Type"), attribute) switch
    {
        ("AWS::RDS::DBInstance", "Endpoint.Address") => standIns.DatabaseHost,
        ("AWS::RDS::DBInstance", "Endpoint.Port") => standIns.DatabasePort.ToString(CultureInfo.InvariantCulture),
        ("AWS::RDS::DBProxy", "Endpoint") => standIns.ProxyHost ?? throw new NotSupportedException($"{stack.Name}: no stand-in for the database proxy {id}"),
        var (type, _) => throw new NotSupportedException($"{stack.Name}: no stand-in for Fn::GetAtt {id}.{attribute} ({type})"),
    };

    private string Import(string exportName)
    {
        foreach (var stack in site.Stacks)
        {
            if (!stack.Json.TryGetProperty("Outputs", out var outputs))
            {
                continue;
            }

            foreach (var output in outputs.EnumerateObject().Select(o => o.Value))
            {
                if (output.Has("Export") && Resolve(stack, output.At("Export", "Name")) == exportName)
                {
                    return Resolve(stack, output.At("Value"));
                }
            }
        }

        throw new InvalidOperationException($"No stack exports {exportName}: CloudFormation would refuse the import.");
    }

    /// <summary><c>{{resolve:secretsmanager:ARN:SecretString:KEY::}}</c>, as CloudFormation resolves it for the database's master user.</summary>
    private string ResolveDynamicReference(string text)
    {
        const string prefix = "{{resolve:secretsmanager:";
        if (!text.StartsWith(prefix, StringComparison.Ordinal))
        {
            return text;
        }

        var parts = text[prefix.Length..^2].Split(':');
        var secret = Secret(string.Join(':', parts[..7]));
        return parts is [.., "SecretString", var key, _, _] && key.Length > 0 ? secret[key]!.ToString() : secret.ToJsonString();
    }

    /// <summary>Secrets Manager's GetRandomPassword with the spec's options, put into its template at its key.</summary>
    private static JsonObject Generate(JsonElement spec)
    {
        bool Option(string name) => spec.Has(name) && spec.At(name).GetBoolean();
        var excluded = spec.Has("ExcludeCharacters") ? spec.Str("ExcludeCharacters") : "";
        var classes = new List<string>();
        if (!Option("ExcludeLowercase")) classes.Add("abcdefghijklmnopqrstuvwxyz");
        if (!Option("ExcludeUppercase")) classes.Add("ABCDEFGHIJKLMNOPQRSTUVWXYZ");
        if (!Option("ExcludeNumbers")) classes.Add("0123456789");
        if (!Option("ExcludePunctuation")) classes.Add(Punctuation);
        if (Option("IncludeSpace")) classes.Add(" ");
        classes = classes.Select(c => new string(c.Where(ch => !excluded.Contains(ch)).ToArray())).Where(c => c.Length > 0).ToList();

        var length = spec.Has("PasswordLength") ? spec.Int("PasswordLength") : 32;
        var all = string.Concat(classes);
        var requireEach = !spec.Has("RequireEachIncludedType") || spec.At("RequireEachIncludedType").GetBoolean();
        var password = (requireEach ? classes.Select(Pick) : [])
            .Concat(Enumerable.Range(0, length - (requireEach ? classes.Count : 0)).Select(_ => Pick(all)))
            .ToArray();
        RandomNumberGenerator.Shuffle(password.AsSpan());

        var template = spec.Has("SecretStringTemplate") ? JsonNode.Parse(spec.Str("SecretStringTemplate"))!.AsObject() : [];
        template[spec.Str("GenerateStringKey")] = new string(password);
        return template;
    }

    private static char Pick(string characters) => characters[RandomNumberGenerator.GetInt32(characters.Length)];
}
