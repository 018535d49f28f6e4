using System.Text.Json.Serialization;
using OtpClients.Http;

namespace OtpClients.NinetyNineDigital;

/// <summary>send → <c>{"status": "OK"|"FAIL", "unique": "63433453", "timestamp": 1600115719, "from": "…", "reason": 1}</c>; ids and numbers read as strings or numbers.</summary>
internal sealed class NinetyNineDigitalSendResponse
{
    [JsonPropertyName("status")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Status { get; init; }

    [JsonPropertyName("unique")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Unique { get; init; }

    [JsonPropertyName("timestamp")]
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? Timestamp { get; init; }

    [JsonPropertyName("reason")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Reason { get; init; }
}

/// <summary>check → <c>{"status": 1, "phone": "0501234567"}</c>; status kept raw (number or string).</summary>
internal sealed class NinetyNineDigitalCheckResponse
{
    [JsonPropertyName("status")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Status { get; init; }

    [JsonPropertyName("phone")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Phone { get; init; }

    [JsonPropertyName("reason")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Reason { get; init; }
}

/// <summary>Source-generated (reflection-free) JSON for 99digital's answers (trailing commas allowed: its own example has one).</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, AllowTrailingCommas = true, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip)]
[JsonSerializable(typeof(NinetyNineDigitalSendResponse))]
[JsonSerializable(typeof(NinetyNineDigitalCheckResponse))]
internal sealed partial class NinetyNineDigitalJsonContext : JsonSerializerContext;
