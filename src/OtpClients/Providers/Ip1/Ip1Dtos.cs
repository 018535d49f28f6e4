using System.Text.Json;
using System.Text.Json.Serialization;
using OtpClients.Http;

namespace OtpClients.Ip1;

/// <summary>AuthenticationNewDTO: the body of create. Unset values are omitted.</summary>
internal sealed class Ip1NewAuthenticationDto
{
    public required string Phone { get; init; }

    public string? From { get; init; }

    public string? MessageFormat { get; init; }

    public int? Length { get; init; }

    public int? ExpirationTime { get; init; }

    public bool? NumericOnly { get; init; }
}

/// <summary>The body of validate: <c>{"Phone": "…", "Code": "…"}</c>.</summary>
internal sealed class Ip1ValidateDto
{
    public required string Phone { get; init; }

    public required string Code { get; init; }
}

/// <summary>AuthenticationDTO. <c>ID</c> is essential and strict; the rest is read leniently (an odd value reads as absent).</summary>
internal sealed class Ip1AuthenticationDto
{
    [JsonPropertyName("ID")]
    [JsonConverter(typeof(StrictInt64Converter))]
    public long? Id { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Phone { get; init; }

    [JsonConverter(typeof(FlexibleUtcDateConverter))]
    public DateTimeOffset? Created { get; init; }

    [JsonConverter(typeof(LenientBooleanConverter))]
    public bool? HasExpired { get; init; }

    [JsonConverter(typeof(FlexibleUtcDateConverter))]
    public DateTimeOffset? Expires { get; init; }

    [JsonConverter(typeof(LenientBooleanConverter))]
    public bool? IsUsed { get; init; }

    [JsonConverter(typeof(FlexibleUtcDateConverter))]
    public DateTimeOffset? Used { get; init; }
}

/// <summary>
/// The answer of validate: <c>{"Valid": bool, "Authentication": AuthenticationDTO or null, "Phone", "Code"}</c>. Every
/// field is essential and strict: <c>Valid</c> a JSON boolean, the authentication's <c>ID</c> an exact integer, and
/// <c>Phone</c>, the authentication's <c>Phone</c> and an error <c>Message</c> read so that a success can be checked
/// against the challenge (a field of any other shape makes the answer unreadable, which never verifies).
/// </summary>
internal sealed class Ip1ValidationDto
{
    public bool? Valid { get; init; }

    public Ip1ValidatedAuthenticationDto? Authentication { get; init; }

    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Phone { get; init; }

    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Message { get; init; }
}

/// <summary>The authentication in a validate answer: its <c>ID</c> (exact) and <c>Phone</c>, checked against the challenge.</summary>
internal sealed class Ip1ValidatedAuthenticationDto
{
    [JsonPropertyName("ID")]
    [JsonConverter(typeof(StrictInt64Converter))]
    public long? Id { get; init; }

    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Phone { get; init; }
}

/// <summary>The answer of create, of which only <c>ID</c> (exact) and <c>Expires</c> (lenient) are read.</summary>
internal sealed class Ip1AuthenticationIdDto
{
    [JsonPropertyName("ID")]
    [JsonConverter(typeof(StrictInt64Converter))]
    public long? Id { get; init; }

    [JsonConverter(typeof(FlexibleUtcDateConverter))]
    public DateTimeOffset? Expires { get; init; }
}

/// <summary>The account settings; every property is written, null meaning unset. Read leniently: an odd value (a flag written as <c>"true"</c> is read) reads as unset.</summary>
internal sealed class Ip1SettingsDto
{
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    [JsonConverter(typeof(LenientInt32Converter))]
    public int? ConcurrentLimit { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? From { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? MessageFormat { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    [JsonConverter(typeof(LenientInt32Converter))]
    public int? Length { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    [JsonConverter(typeof(LenientInt32Converter))]
    public int? ExpirationTime { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    [JsonConverter(typeof(LenientBooleanConverter))]
    public bool? NumericOnly { get; init; }
}

/// <summary>An ASP.NET Web API error body: <c>{"Message": "…", "ModelState": {"model.Phone": ["…"]}}</c> (not documented by iP1; read tolerantly).</summary>
internal sealed class Ip1ErrorDto
{
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Message { get; init; }

    public JsonElement? ModelState { get; init; }
}

/// <summary>
/// Source-generated (reflection-free) JSON for iP1, with its PascalCase names matched exactly (<c>valid</c> is not
/// <c>Valid</c>), no property repeated, no comments and no trailing commas.
/// </summary>
[JsonSourceGenerationOptions(
    AllowDuplicateProperties = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(Ip1NewAuthenticationDto))]
[JsonSerializable(typeof(Ip1ValidateDto))]
[JsonSerializable(typeof(Ip1AuthenticationDto))]
[JsonSerializable(typeof(Ip1AuthenticationIdDto))]
[JsonSerializable(typeof(List<Ip1AuthenticationDto?>))]
[JsonSerializable(typeof(Ip1ValidationDto))]
[JsonSerializable(typeof(Ip1SettingsDto))]
[JsonSerializable(typeof(Ip1ErrorDto))]
internal sealed partial class Ip1JsonContext : JsonSerializerContext;
