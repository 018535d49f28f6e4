using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using WireMock;
using WireMock.Types;

namespace OtpClients.Tests.Infrastructure;

/// <summary>One part of a multipart/form-data body as received.</summary>
public sealed record MultipartPart(string Name, string Value, string? ContentType, string? FileName, string ContentDisposition);

/// <summary>A request as the provider stand-in received it, read from a WireMock.Net log entry.</summary>
public sealed record WireRequest(
    string Method,
    string Path,
    string QueryString,
    IReadOnlyDictionary<string, string[]> Query,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body,
    string? ContentType,
    IReadOnlyList<KeyValuePair<string, string>> Form,
    IReadOnlyList<MultipartPart> Parts)
{
    /// <summary>
    /// Reads a WireMock.Net log entry. The raw query and body bytes are parsed here, so that a repeated field, an
    /// empty value or a comma survives exactly as sent (WireMock.Net's own query and form dictionaries fold them).
    /// </summary>
    public static WireRequest From(IRequestMessage message)
    {
        var body = message.BodyAsBytes ?? message.BodyData?.BodyAsBytes ?? (message.Body is { } bodyText ? Encoding.UTF8.GetBytes(bodyText) : []);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in message.Headers ?? new Dictionary<string, WireMockList<string>>())
        {
            headers[name] = string.Join(", ", values);
        }

        var rawQuery = message.RawQuery ?? string.Empty;
        if (rawQuery.Length > 0 && rawQuery[0] != '?')
        {
            rawQuery = "?" + rawQuery;
        }

        var query = QueryHelpers.ParseQuery(rawQuery);
        var form = new List<KeyValuePair<string, string>>();
        var parts = new List<MultipartPart>();
        headers.TryGetValue("Content-Type", out var contentType);
        if (contentType is not null && MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
        {
            if (mediaType.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var (key, values) in QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)))
                {
                    foreach (var value in values)
                    {
                        form.Add(new(key, value ?? string.Empty));
                    }
                }
            }
            else if (mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            {
                var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value!;
                var reader = new MultipartReader(boundary, new MemoryStream(body));
                while (reader.ReadNextSectionAsync().GetAwaiter().GetResult() is { } section)
                {
                    var disposition = ContentDispositionHeaderValue.Parse(section.ContentDisposition);
                    using var text = new StreamReader(section.Body, Encoding.UTF8);
                    var value = text.ReadToEnd();
                    var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? string.Empty;
                    parts.Add(new MultipartPart(name, value, section.ContentType, HeaderUtilities.RemoveQuotes(disposition.FileName).Value, section.ContentDisposition ?? string.Empty));
                    form.Add(new(name, value));
                }
            }
        }

        return new WireRequest(
            message.Method,
            message.Path,
            rawQuery,
            query.ToDictionary(q => q.Key, q => q.Value.ToArray().Select(v => v ?? string.Empty).ToArray(), StringComparer.Ordinal),
            headers,
            body,
            contentType,
            form,
            parts);
    }

    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>Gets the form fields as a name → value map, failing the test if a name repeats.</summary>
    public IReadOnlyDictionary<string, string> FormFields()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in Form)
        {
            Assert.That(map.TryAdd(key, value), Is.True, $"Form field '{key}' was sent more than once.");
        }

        return map;
    }

    /// <summary>Gets the query parameters as a name → value map, failing the test if a name repeats.</summary>
    public IReadOnlyDictionary<string, string> QueryFields()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, values) in Query)
        {
            Assert.That(values, Has.Length.EqualTo(1), $"Query parameter '{key}' was sent more than once.");
            map[key] = values[0];
        }

        return map;
    }

    /// <summary>Decodes a Basic Authorization header into user and password.</summary>
    public (string User, string Password)? BasicCredentials()
    {
        var header = Header("Authorization");
        if (header is null || !header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return null;
        }

        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..]));
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return (decoded[..colon], decoded[(colon + 1)..]);
    }
}
