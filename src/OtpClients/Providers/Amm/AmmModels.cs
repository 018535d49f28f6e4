using System.Text.Json.Serialization;
using OtpClients.Http;

namespace OtpClients.Amm;

/// <summary>The fields of <c>POST send</c>; optional fields are sent only when set.</summary>
internal sealed record AmmSendForm(string To, string Text)
{
    public string? From { get; init; }
    public bool Sandbox { get; init; }
    public string? AppId { get; init; }
    public AmmEncoding? Encoding { get; init; }
    public int? CodeLength { get; init; }
    public int? MaxRetry { get; init; }
    public int? TtlSeconds { get; init; }

    /// <summary>The form fields, in the documented order, as the <c>application/x-www-form-urlencoded</c> body.</summary>
    public FormBody ToBody()
    {
        var count = 2 + (From is null ? 0 : 1) + (Sandbox ? 1 : 0) + (AppId is null ? 0 : 1) + (Encoding is null ? 0 : 1) + (CodeLength is null ? 0 : 1) + (MaxRetry is null ? 0 : 1) + (TtlSeconds is null ? 0 : 1);
        var fields = new (string Name, string Value)[count];
        var at = 0;
        fields[at++] = ("to", To);
        fields[at++] = ("text", Text);
        if (From is not null)
        {
            fields[at++] = ("from", From);
        }

        if (Sandbox)
        {
            fields[at++] = ("sandbox", "true");
        }

        if (AppId is not null)
        {
            fields[at++] = ("app_id", AppId);
        }

        if (Encoding is { } encoding)
        {
            fields[at++] = ("encoding", encoding switch { AmmEncoding.Ucs2 => "UCS2", AmmEncoding.Auto => "AUTO", _ => "7BIT" });
        }

        if (CodeLength is { } length)
        {
            fields[at++] = ("code_len", length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (MaxRetry is { } retry)
        {
            fields[at++] = ("max_retry", retry.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (TtlSeconds is { } ttl)
        {
            fields[at++] = ("ttl", ttl.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return new FormBody(fields);
    }
}

/// <summary>The error body AMM sends with a non-2xx status: <c>{"errorMsg": "BAD_TO", "errorCode": 400}</c>.</summary>
internal sealed class AmmErrorResponse
{
    [JsonPropertyName("errorMsg")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? ErrorMsg { get; init; }

    [JsonPropertyName("errorCode")]
    [JsonConverter(typeof(LenientInt64Converter))]
    public long? ErrorCode { get; init; }
}

/// <summary><c>send</c> → <c>{"verify_id": "…"}</c>. An <c>errorMsg</c> in a 2xx body is read too.</summary>
internal sealed class AmmSendResponse
{
    [JsonPropertyName("verify_id")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? VerifyId { get; init; }

    [JsonPropertyName("errorMsg")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? ErrorMsg { get; init; }
}

/// <summary>
/// <c>check</c> → <c>{"id_sms": "…", "verify_status": "VERIFIED"}</c>; <c>id_sms</c> is not read (it serves only
/// <c>search</c>). A <c>verify_id</c>, when present, is checked against the challenge.
/// </summary>
internal sealed class AmmCheckResponse
{
    [JsonPropertyName("verify_id")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? VerifyId { get; init; }

    [JsonPropertyName("verify_status")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? VerifyStatus { get; init; }

    [JsonPropertyName("errorMsg")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? ErrorMsg { get; init; }
}

/// <summary><c>command</c> → <c>{"command": "DELETE"}</c>.</summary>
internal sealed class AmmCommandResponse
{
    [JsonPropertyName("command")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Command { get; init; }

    [JsonPropertyName("errorMsg")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? ErrorMsg { get; init; }
}

/// <summary><c>search</c> → the history of a code; dates are Unix epoch milliseconds.</summary>
internal sealed class AmmSearchResponse
{
    [JsonPropertyName("verify_id")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? VerifyId { get; init; }

    [JsonPropertyName("verify_status")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? VerifyStatus { get; init; }

    [JsonPropertyName("to")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? To { get; init; }

    [JsonPropertyName("from")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? From { get; init; }

    [JsonPropertyName("id_sms")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? IdSms { get; init; }

    [JsonPropertyName("codice")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Codice { get; init; }

    [JsonPropertyName("date_submit")]
    [JsonConverter(typeof(LenientInt64Converter))]
    public long? DateSubmit { get; init; }

    [JsonPropertyName("valid_until")]
    [JsonConverter(typeof(LenientInt64Converter))]
    public long? ValidUntil { get; init; }

    [JsonPropertyName("checks")]
    public List<AmmSearchCheck?>? Checks { get; init; }

    [JsonPropertyName("errorMsg")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? ErrorMsg { get; init; }
}

/// <summary>One entry of <c>checks</c> in a search answer.</summary>
internal sealed class AmmSearchCheck
{
    [JsonPropertyName("date")]
    [JsonConverter(typeof(LenientInt64Converter))]
    public long? Date { get; init; }

    [JsonPropertyName("verify_code")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? VerifyCode { get; init; }

    [JsonPropertyName("verify_status")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? VerifyStatus { get; init; }

    [JsonPropertyName("ip_address")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? IpAddress { get; init; }
}

/// <summary>
/// Source-generated (reflection-free) JSON for AMM's answers: names matched exactly, no property repeated, no comments,
/// no trailing commas.
/// </summary>
[JsonSourceGenerationOptions(AllowDuplicateProperties = false)]
[JsonSerializable(typeof(AmmSendResponse))]
[JsonSerializable(typeof(AmmCheckResponse))]
[JsonSerializable(typeof(AmmCommandResponse))]
[JsonSerializable(typeof(AmmSearchResponse))]
[JsonSerializable(typeof(AmmErrorResponse))]
internal sealed partial class AmmJsonContext : JsonSerializerContext;
