using System.Text.Json;
using System.Text.Json.Serialization;
using OtpClients.Http;

namespace OtpClients.NinetyNineDigital;

/// <summary>
/// send → <c>{"status": "OK"|"FAIL", "unique": "63433453", "timestamp": 1600115719, "from": "…", "reason": 1}</c>.
/// <c>status</c> and <c>unique</c> are essential (strict); <c>timestamp</c>, <c>from</c> and <c>reason</c> are read
/// leniently: an odd value reads as absent, so it never turns a sent SMS into a failure.
/// </summary>
internal sealed class NinetyNineDigitalSendResponse
{
    [JsonPropertyName("status")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Status { get; init; }

    [JsonPropertyName("unique")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Unique { get; init; }

    [JsonPropertyName("timestamp")]
    [JsonConverter(typeof(LenientInt64Converter))]
    public long? Timestamp { get; init; }

    [JsonPropertyName("from")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? From { get; init; }

    [JsonPropertyName("reason")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Reason { get; init; }
}

/// <summary>
/// check → <c>{"status": 1, "phone": "0501234567"}</c>; status kept raw (number or string). Every field is essential:
/// <c>phone</c> is checked against the challenge, and any <c>reason</c> beside a success (of any shape but null or
/// <c>""</c>) contradicts it.
/// </summary>
internal sealed class NinetyNineDigitalCheckResponse
{
    [JsonPropertyName("status")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Status { get; init; }

    [JsonPropertyName("phone")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Phone { get; init; }

    [JsonPropertyName("reason")]
    public JsonElement? Reason { get; init; }

    /// <summary>Gets a value indicating whether the answer carries a reason (anything but absent, null or <c>""</c>).</summary>
    public bool HasReason => Reason is { ValueKind: not JsonValueKind.Null } reason && !(reason.ValueKind == JsonValueKind.String && reason.GetString()!.Length == 0);

    /// <summary>Gets the reason as text when it is a string or a number.</summary>
    public string? ReasonText => Reason switch
    {
        { ValueKind: JsonValueKind.String } reason => reason.GetString(),
        { ValueKind: JsonValueKind.Number } reason => reason.GetRawText(),
        _ => null,
    };
}

/// <summary>
/// Source-generated (reflection-free) JSON for 99digital's answers: names matched exactly, no property repeated, no
/// comments. Trailing commas are allowed: 99digital's own documented check answer has one.
/// </summary>
[JsonSourceGenerationOptions(AllowDuplicateProperties = false, AllowTrailingCommas = true)]
[JsonSerializable(typeof(NinetyNineDigitalSendResponse))]
[JsonSerializable(typeof(NinetyNineDigitalCheckResponse))]
internal sealed partial class NinetyNineDigitalJsonContext : JsonSerializerContext;
