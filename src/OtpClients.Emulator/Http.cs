using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace OtpClients.Emulator;

/// <summary>Small helpers for the emulated endpoints.</summary>
internal static class Http
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    public static Task WriteJsonAsync(HttpContext context, int status, JsonNode? body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(body?.ToJsonString(Compact) ?? "null", context.RequestAborted);
    }

    public static async Task<JsonNode?> ReadJsonAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, new JsonNodeOptions { PropertyNameCaseInsensitive = true }, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Reads a urlencoded or multipart form; <see langword="null"/> for any other body.</summary>
    public static async Task<IFormCollection?> ReadFormAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            return null;
        }

        try
        {
            return await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Checks an HTTP Basic Authorization header against a user and password.</summary>
    public static bool IsBasic(HttpContext context, string user, string password)
    {
        if (!AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization.ToString(), out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return false;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
            return string.Equals(decoded, user + ":" + password, StringComparison.Ordinal);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static string? String(JsonObject node, string name) => node.TryGetPropertyValue(name, out var value) && value is JsonValue v
        ? v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.Number => v.ToJsonString(),
            _ => null,
        }
        : null;

    public static int? Int(JsonObject node, string name) => node.TryGetPropertyValue(name, out var value) && value is JsonValue v
        ? v.GetValueKind() switch
        {
            JsonValueKind.Number => v.TryGetValue<int>(out var i) ? i : throw new FormatException(name),
            JsonValueKind.String => int.TryParse(v.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, out var p) ? p : throw new FormatException(name),
            JsonValueKind.Null => null,
            _ => throw new FormatException(name),
        }
        : null;

    public static double? Double(JsonObject node, string name) => node.TryGetPropertyValue(name, out var value) && value is JsonValue v && v.GetValueKind() == JsonValueKind.Number
        ? v.GetValue<double>()
        : null;

    public static bool? Bool(JsonObject node, string name) => node.TryGetPropertyValue(name, out var value) && value is JsonValue v
        ? v.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Null => null,
            _ => throw new FormatException(name),
        }
        : null;

    public static string E164(string digits) => "+" + digits;

    public static string Iso(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'+00:00'", System.Globalization.CultureInfo.InvariantCulture);

    public static bool IsDigits(string? value, int min, int max) =>
        value is not null && value.Length >= min && value.Length <= max && value.All(char.IsAsciiDigit);
}
