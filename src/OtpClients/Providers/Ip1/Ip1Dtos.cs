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

/// <summary>AuthenticationDTO.</summary>
internal sealed class Ip1AuthenticationDto
{
    [JsonPropertyName("ID")]
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? Id { get; init; }

    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Phone { get; init; }

    [JsonConverter(typeof(FlexibleUtcDateConverter))]
    public DateTimeOffset? Created { get; init; }

    public bool? HasExpired { get; init; }

    [JsonConverter(typeof(FlexibleUtcDateConverter))]
    public DateTimeOffset? Expires { get; init; }

    public bool? IsUsed { get; init; }

    [JsonConverter(typeof(FlexibleUtcDateConverter))]
    public DateTimeOffset? Used { get; init; }
}

/// <summary>The answer of validate: <c>{"Valid": bool, "Authentication": AuthenticationDTO or null, "Phone", "Code"}</c>; of the authentication only its ID is read.</summary>
internal sealed class Ip1ValidationDto
{
    public bool? Valid { get; init; }

    public Ip1AuthenticationIdDto? Authentication { get; init; }
}

/// <summary>An AuthenticationDTO of which only <c>ID</c> and <c>Expires</c> are read (create and validate need no more).</summary>
internal sealed class Ip1AuthenticationIdDto
{
    [JsonPropertyName("ID")]
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? Id { get; init; }

    [JsonConverter(typeof(FlexibleUtcDateConverter))]
    public DateTimeOffset? Expires { get; init; }
}

/// <summary>The account settings; every property is written, null meaning unset.</summary>
internal sealed class Ip1SettingsDto
{
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? ConcurrentLimit { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? From { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? MessageFormat { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? Length { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? ExpirationTime { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public bool? NumericOnly { get; init; }
}

/// <summary>An ASP.NET Web API error body: <c>{"Message": "…", "ModelState": {"model.Phone": ["…"]}}</c> (not documented by iP1; read tolerantly).</summary>
internal sealed class Ip1ErrorDto
{
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Message { get; init; }

    public JsonElement? ModelState { get; init; }
}

/// <summary>Source-generated (reflection-free) JSON for iP1, with its PascalCase names.</summary>
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    AllowTrailingCommas = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
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
