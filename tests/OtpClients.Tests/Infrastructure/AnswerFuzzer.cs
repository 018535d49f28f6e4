using System.Text;

namespace OtpClients.Tests.Infrastructure;

/// <summary>
/// Seeded, reproducible provider answers that are wrong in every way a provider or a proxy can be wrong:
/// random JSON, wrong types, truncation, huge strings and numbers, deep nesting, invalid UTF-8, HTML/XML,
/// empty bodies, wrong content types, odd statuses.
/// </summary>
public sealed class AnswerFuzzer(int seed, IReadOnlyList<string> documentedBodies, IReadOnlyList<string> fieldNames)
{
    private static readonly int[] Statuses = [200, 200, 200, 200, 201, 204, 400, 400, 401, 403, 404, 405, 408, 409, 429, 500, 502, 503, 504, 302, 299, 418];
    private static readonly string[] ContentTypes = ["application/json", "application/json; charset=utf-8", "text/html", "text/plain", "application/xml", "application/octet-stream", "application/problem+json"];
    private readonly Random random = new(seed);

    public CannedAnswer Next()
    {
        var status = Statuses[random.Next(Statuses.Length)];
        var contentType = random.Next(4) == 0 ? ContentTypes[random.Next(ContentTypes.Length)] : "application/json";
        var body = NextBody();
        var response = new CannedAnswer(status, body, contentType);
        return random.Next(20) == 0 ? response.WithHeader("Retry-After", random.Next(3) == 0 ? "garbage" : "0") : response;
    }

    private byte[] NextBody()
    {
        switch (random.Next(14))
        {
            case 0:
                return [];
            case 1:
                var documented = documentedBodies[random.Next(documentedBodies.Count)];
                return Encoding.UTF8.GetBytes(documented[..random.Next(documented.Length)]);
            case 2:
                return Encoding.UTF8.GetBytes("<html><body><h1>502 Bad Gateway</h1></body></html>");
            case 3:
                return Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><response><errorMsg>BAD_TO</errorMsg></response>");
            case 4:
                var bytes = new byte[random.Next(1, 200)];
                random.NextBytes(bytes);
                return bytes;
            case 5:
                return Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000));
            case 6:
                return Encoding.UTF8.GetBytes("{\"" + Field() + "\":\"" + new string('x', random.Next(1000, 100_000)) + "\"}");
            case 7:
                return Encoding.UTF8.GetBytes("{\"" + Field() + "\":" + new string('9', random.Next(20, 400)) + "}");
            case 8:
                return [.. "{\""u8.ToArray(), .. Encoding.UTF8.GetBytes(Field()), .. "\":\"\xC3\x28\xA0\xA1\"}"u8.ToArray()];
            case 9:
                return Encoding.UTF8.GetBytes(RandomObject(depth: 0));
            case 10:
                return Encoding.UTF8.GetBytes(RandomValue(depth: 2));
            case 11:
                return Encoding.UTF8.GetBytes("null");
            default:
                return Encoding.UTF8.GetBytes(Mutate(documentedBodies[random.Next(documentedBodies.Count)]));
        }
    }

    private string Field() => random.Next(5) == 0 ? "unknown_" + random.Next(100) : fieldNames[random.Next(fieldNames.Count)];

    private string RandomObject(int depth)
    {
        var builder = new StringBuilder("{");
        var count = random.Next(0, 6);
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            builder.Append('"').Append(Field()).Append("\":").Append(RandomValue(depth + 1));
        }

        return builder.Append('}').ToString();
    }

    private string RandomValue(int depth) => random.Next(depth > 3 ? 7 : 9) switch
    {
        0 => "null",
        1 => random.Next(2) == 0 ? "true" : "false",
        2 => random.Next(-1000, 100_000).ToString(System.Globalization.CultureInfo.InvariantCulture),
        3 => (random.NextDouble() * 1e20).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        4 => "\"" + RandomWord() + "\"",
        5 => "\"\\u0000\\ud800" + RandomWord() + "\"",
        6 => "\"VERIFIED\"",
        7 => RandomObject(depth),
        _ => "[" + string.Join(',', Enumerable.Range(0, random.Next(4)).Select(_ => RandomValue(depth + 1))) + "]",
    };

    private string RandomWord() => random.Next(6) switch
    {
        0 => "VERIFIED",
        1 => "OK",
        2 => "FAIL",
        3 => "1",
        4 => random.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => Guid.NewGuid().ToString("N")[..random.Next(1, 32)],
    };

    /// <summary>A documented body with one value replaced by a value of another type, or a key dropped.</summary>
    private string Mutate(string body)
    {
        var replacements = new[] { "null", "123", "-1", "1.5e308", "true", "[]", "{}", "\"\"", "\"VERIFIED \"", "\"verified\"" };
        var quote = body.IndexOf(':', StringComparison.Ordinal);
        if (quote < 0)
        {
            return body;
        }

        var positions = Enumerable.Range(0, body.Length).Where(i => body[i] == ':').ToArray();
        var at = positions[random.Next(positions.Length)];
        var end = body.IndexOfAny([',', '}'], at);
        return end < 0 ? body : body[..(at + 1)] + replacements[random.Next(replacements.Length)] + body[end..];
    }
}
