using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using OtpClients.Http;

namespace OtpClients.Ip1;

/// <summary>
/// iP1's authentications wire protocol, one method per endpoint, as a Refit interface would declare it:
/// <code>
/// [Post("/api/authentications")]          Task&lt;ApiResponse&lt;Ip1AuthenticationDto&gt;&gt; Create([Body] Ip1NewAuthenticationDto body);
/// [Post("/api/authentications/validate")] Task&lt;ApiResponse&lt;Ip1ValidationDto&gt;&gt; Validate([Body] Ip1ValidateDto body);
/// [Get("/api/authentications/{id}")]      Task&lt;ApiResponse&lt;Ip1AuthenticationDto&gt;&gt; Get(long id);
/// [Get("/api/authentications")]           Task&lt;ApiResponse&lt;List&lt;Ip1AuthenticationDto&gt;&gt;&gt; List();
/// [Get("/api/authentications/settings")]  Task&lt;ApiResponse&lt;Ip1SettingsDto&gt;&gt; GetSettings();
/// [Put("/api/authentications/settings")]  Task&lt;ApiResponse&lt;Ip1SettingsDto&gt;&gt; UpdateSettings([Body] Ip1SettingsDto body);
/// </code>
/// HTTP Basic <c>AccountId:ApiKey</c>, <c>Accept: application/json</c>, JSON bodies with iP1's PascalCase names.
/// Implemented over <see cref="HttpClient"/> (Refit is not in this project's package registry).
/// </summary>
internal sealed class Ip1Api
{
    public const string AuthenticationsPath = "/api/authentications";
    public const string ValidatePath = "/api/authentications/validate";
    public const string SettingsPath = "/api/authentications/settings";

    public static readonly OtpOperation CreateOperation = new(OtpProviderNames.Ip1, "send", isReadOnly: false);
    public static readonly OtpOperation ValidateOperation = new(OtpProviderNames.Ip1, "validate", isReadOnly: false);
    public static readonly OtpOperation GetOperation = new(OtpProviderNames.Ip1, "get authentication", isReadOnly: true);
    public static readonly OtpOperation ListOperation = new(OtpProviderNames.Ip1, "list authentications", isReadOnly: true);
    public static readonly OtpOperation GetSettingsOperation = new(OtpProviderNames.Ip1, "get settings", isReadOnly: true);
    public static readonly OtpOperation UpdateSettingsOperation = new(OtpProviderNames.Ip1, "update settings", isReadOnly: false);

    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient http;
    private readonly AuthenticationHeaderValue authorization;
    private readonly Uri authenticationsUri;
    private readonly string authenticationsPrefix;
    private readonly Uri validateUri;
    private readonly Uri settingsUri;
    private readonly OtpProviderOptions options;
    private readonly TimeProvider timeProvider;

    private readonly Microsoft.Extensions.Logging.ILogger logger;

    public Ip1Api(HttpClient http, Ip1Options options, TimeProvider timeProvider, Microsoft.Extensions.Logging.ILogger logger)
    {
        this.http = http;
        this.logger = logger;
        this.timeProvider = timeProvider;
        authorization = ProviderTransport.Basic(options.AccountId!, options.ApiKey!);
        authenticationsUri = options.Resolve(AuthenticationsPath);
        authenticationsPrefix = authenticationsUri.AbsoluteUri + "/";
        validateUri = options.Resolve(ValidatePath);
        settingsUri = options.Resolve(SettingsPath);
        this.options = options;
    }

    /// <summary><c>POST /api/authentications</c>: creates and sends an authentication.</summary>
    public Task<ApiResponse<Ip1AuthenticationIdDto, Ip1ErrorDto>> CreateAsync(Ip1NewAuthenticationDto body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, authenticationsUri, Json(body, Ip1JsonContext.Default.Ip1NewAuthenticationDto), CreateOperation, Ip1JsonContext.Default.Ip1AuthenticationIdDto, cancellationToken);

    /// <summary><c>POST /api/authentications/validate</c>: checks (and on success consumes) a code, keyed by phone and code.</summary>
    public Task<ApiResponse<Ip1ValidationDto, Ip1ErrorDto>> ValidateAsync(Ip1ValidateDto body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, validateUri, Json(body, Ip1JsonContext.Default.Ip1ValidateDto), ValidateOperation, Ip1JsonContext.Default.Ip1ValidationDto, cancellationToken);

    /// <summary><c>GET /api/authentications/{id}</c>.</summary>
    public Task<ApiResponse<Ip1AuthenticationDto, Ip1ErrorDto>> GetAsync(long id, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, new Uri(authenticationsPrefix + id.ToString(CultureInfo.InvariantCulture), UriKind.Absolute), null, GetOperation, Ip1JsonContext.Default.Ip1AuthenticationDto, cancellationToken);

    /// <summary><c>GET /api/authentications</c>.</summary>
    public Task<ApiResponse<List<Ip1AuthenticationDto?>, Ip1ErrorDto>> ListAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, authenticationsUri, null, ListOperation, Ip1JsonContext.Default.ListIp1AuthenticationDto, cancellationToken);

    /// <summary><c>GET /api/authentications/settings</c>.</summary>
    public Task<ApiResponse<Ip1SettingsDto, Ip1ErrorDto>> GetSettingsAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, settingsUri, null, GetSettingsOperation, Ip1JsonContext.Default.Ip1SettingsDto, cancellationToken);

    /// <summary><c>PUT /api/authentications/settings</c>: replaces the account defaults (null = unset).</summary>
    public Task<ApiResponse<Ip1SettingsDto, Ip1ErrorDto>> UpdateSettingsAsync(Ip1SettingsDto body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, settingsUri, Json(body, Ip1JsonContext.Default.Ip1SettingsDto), UpdateSettingsOperation, Ip1JsonContext.Default.Ip1SettingsDto, cancellationToken);

    private static ByteArrayContent Json<T>(T body, JsonTypeInfo<T> info)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, info));
        content.Headers.ContentType = JsonContentType;
        return content;
    }

    private Task<ApiResponse<T, Ip1ErrorDto>> SendAsync<T>(HttpMethod method, Uri uri, HttpContent? content, OtpOperation operation, JsonTypeInfo<T> info, CancellationToken cancellationToken)
        where T : class
    {
        var request = new OtpRequestMessage(method, uri, operation) { Content = content };
        request.Headers.Authorization = authorization;
        request.Headers.Accept.Add(AcceptJson);
        return ProviderTransport.SendAsync(http, request, operation, info, Ip1JsonContext.Default.Ip1ErrorDto, options, timeProvider, logger, cancellationToken);
    }
}

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
