using System.Net.Http.Headers;
using System.Text.Json.Serialization;
using OtpClients.Http;

namespace OtpClients.Amm;

/// <summary>
/// AMM's SMS OTP v2 wire protocol, one method per endpoint, as a Refit interface would declare it:
/// <code>
/// [Post("/sms/v2/verify/send")]    Task&lt;ApiResponse&lt;AmmSendResponse&gt;&gt; Send([Body(UrlEncoded)] AmmSendForm form);
/// [Get("/sms/v2/verify/check")]    Task&lt;ApiResponse&lt;AmmCheckResponse&gt;&gt; Check(string verify_id, string verify_code, string? ip_address);
/// [Post("/sms/v2/verify/command")] Task&lt;ApiResponse&lt;AmmCommandResponse&gt;&gt; Command([Body(UrlEncoded)] verify_id, command);
/// [Get("/sms/v2/verify/search")]   Task&lt;ApiResponse&lt;AmmSearchResponse&gt;&gt; Search(string verify_id);
/// </code>
/// Every call carries HTTP Basic <c>AuthKey:AuthSecret</c> and <c>Accept: application/json</c>; POST bodies are
/// <c>application/x-www-form-urlencoded</c>. Implemented over <see cref="HttpClient"/> (Refit is not in this
/// project's package registry).
/// </summary>
internal sealed class AmmApi
{
    public const string SendPath = "/sms/v2/verify/send";
    public const string CheckPath = "/sms/v2/verify/check";
    public const string CommandPath = "/sms/v2/verify/command";
    public const string SearchPath = "/sms/v2/verify/search";

    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");

    private readonly HttpClient http;
    private readonly AuthenticationHeaderValue authorization;
    private readonly Uri sendUri;
    private readonly string checkUri;
    private readonly Uri commandUri;
    private readonly string searchUri;
    private readonly OtpProviderOptions options;
    private readonly TimeProvider timeProvider;

    private readonly Microsoft.Extensions.Logging.ILogger logger;

    public AmmApi(HttpClient http, AmmOptions options, TimeProvider timeProvider, Microsoft.Extensions.Logging.ILogger logger)
    {
        this.http = http;
        this.logger = logger;
        this.timeProvider = timeProvider;
        authorization = ProviderTransport.Basic(options.AuthKey!, options.AuthSecret!);
        sendUri = options.Resolve(SendPath);
        checkUri = options.Resolve(CheckPath).AbsoluteUri;
        commandUri = options.Resolve(CommandPath);
        searchUri = options.Resolve(SearchPath).AbsoluteUri;
        this.options = options;
    }

    public static readonly OtpOperation SendOperation = new(OtpProviderNames.Amm, "send", isReadOnly: false);
    public static readonly OtpOperation CheckOperation = new(OtpProviderNames.Amm, "check", isReadOnly: false);
    public static readonly OtpOperation CommandOperation = new(OtpProviderNames.Amm, "cancel", isReadOnly: false);
    public static readonly OtpOperation SearchOperation = new(OtpProviderNames.Amm, "search", isReadOnly: true);

    /// <summary><c>POST /sms/v2/verify/send</c>: sends a code.</summary>
    public Task<ApiResponse<AmmSendResponse, AmmErrorResponse>> SendAsync(AmmSendForm form, CancellationToken cancellationToken)
    {
        var request = Create(HttpMethod.Post, sendUri, SendOperation);
        request.Content = new FormUrlEncodedContent(form.ToFields());
        return SendAsync(request, SendOperation, AmmJsonContext.Default.AmmSendResponse, cancellationToken);
    }

    /// <summary><c>GET /sms/v2/verify/check?verify_id=…&amp;verify_code=…[&amp;ip_address=…]</c>: checks a code.</summary>
    public Task<ApiResponse<AmmCheckResponse, AmmErrorResponse>> CheckAsync(string verifyId, string verifyCode, string? ipAddress, CancellationToken cancellationToken)
    {
        var query = $"?verify_id={Uri.EscapeDataString(verifyId)}&verify_code={Uri.EscapeDataString(verifyCode)}";
        if (ipAddress is not null)
        {
            query += $"&ip_address={Uri.EscapeDataString(ipAddress)}";
        }

        var request = Create(HttpMethod.Get, new Uri(checkUri + query, UriKind.Absolute), CheckOperation);
        return SendAsync(request, CheckOperation, AmmJsonContext.Default.AmmCheckResponse, cancellationToken);
    }

    /// <summary><c>POST /sms/v2/verify/command</c> with <c>verify_id</c> and <c>command</c>: <c>DELETE</c> cancels a code.</summary>
    public Task<ApiResponse<AmmCommandResponse, AmmErrorResponse>> CommandAsync(string verifyId, string command, CancellationToken cancellationToken)
    {
        var request = Create(HttpMethod.Post, commandUri, CommandOperation);
        request.Content = new FormUrlEncodedContent([new("verify_id", verifyId), new("command", command)]);
        return SendAsync(request, CommandOperation, AmmJsonContext.Default.AmmCommandResponse, cancellationToken);
    }

    /// <summary><c>GET /sms/v2/verify/search?verify_id=…</c>: the history of a code.</summary>
    public Task<ApiResponse<AmmSearchResponse, AmmErrorResponse>> SearchAsync(string verifyId, CancellationToken cancellationToken)
    {
        var request = Create(HttpMethod.Get, new Uri($"{searchUri}?verify_id={Uri.EscapeDataString(verifyId)}", UriKind.Absolute), SearchOperation);
        return SendAsync(request, SearchOperation, AmmJsonContext.Default.AmmSearchResponse, cancellationToken);
    }

    private OtpRequestMessage Create(HttpMethod method, Uri uri, OtpOperation operation)
    {
        var request = new OtpRequestMessage(method, uri, operation);
        request.Headers.Authorization = authorization;
        request.Headers.Accept.Add(AcceptJson);
        return request;
    }

    private Task<ApiResponse<T, AmmErrorResponse>> SendAsync<T>(HttpRequestMessage request, OtpOperation operation, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info, CancellationToken cancellationToken)
        where T : class =>
        ProviderTransport.SendAsync(http, request, operation, info, AmmJsonContext.Default.AmmErrorResponse, options, timeProvider, logger, cancellationToken);
}

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

    public KeyValuePair<string, string>[] ToFields()
    {
        var count = 2 + (From is null ? 0 : 1) + (Sandbox ? 1 : 0) + (AppId is null ? 0 : 1) + (Encoding is null ? 0 : 1) + (CodeLength is null ? 0 : 1) + (MaxRetry is null ? 0 : 1) + (TtlSeconds is null ? 0 : 1);
        var fields = new KeyValuePair<string, string>[count];
        var i = 0;
        fields[i++] = new("to", To);
        fields[i++] = new("text", Text);
        if (From is not null)
        {
            fields[i++] = new("from", From);
        }

        if (Sandbox)
        {
            fields[i++] = new("sandbox", "true");
        }

        if (AppId is not null)
        {
            fields[i++] = new("app_id", AppId);
        }

        if (Encoding is { } encoding)
        {
            fields[i++] = new("encoding", encoding switch { AmmEncoding.Ucs2 => "UCS2", AmmEncoding.Auto => "AUTO", _ => "7BIT" });
        }

        if (CodeLength is { } length)
        {
            fields[i++] = new("code_len", length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (MaxRetry is { } retry)
        {
            fields[i++] = new("max_retry", retry.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (TtlSeconds is { } ttl)
        {
            fields[i] = new("ttl", ttl.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return fields;
    }
}

/// <summary>The error body AMM sends with a non-2xx status: <c>{"errorMsg": "BAD_TO", "errorCode": 400}</c>.</summary>
internal sealed class AmmErrorResponse
{
    [JsonPropertyName("errorMsg")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? ErrorMsg { get; init; }

    [JsonPropertyName("errorCode")]
    [JsonConverter(typeof(FlexibleInt64Converter))]
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

/// <summary><c>check</c> → <c>{"id_sms": "…", "verify_status": "VERIFIED"}</c>; <c>id_sms</c> is not read (it serves only <c>search</c>).</summary>
internal sealed class AmmCheckResponse
{
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
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? To { get; init; }

    [JsonPropertyName("from")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? From { get; init; }

    [JsonPropertyName("id_sms")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? IdSms { get; init; }

    [JsonPropertyName("codice")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Codice { get; init; }

    [JsonPropertyName("date_submit")]
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? DateSubmit { get; init; }

    [JsonPropertyName("valid_until")]
    [JsonConverter(typeof(FlexibleInt64Converter))]
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
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? Date { get; init; }

    [JsonPropertyName("verify_code")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? VerifyCode { get; init; }

    [JsonPropertyName("verify_status")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? VerifyStatus { get; init; }

    [JsonPropertyName("ip_address")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? IpAddress { get; init; }
}

/// <summary>Source-generated (reflection-free) JSON for AMM's answers.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, AllowTrailingCommas = true, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip)]
[JsonSerializable(typeof(AmmSendResponse))]
[JsonSerializable(typeof(AmmCheckResponse))]
[JsonSerializable(typeof(AmmCommandResponse))]
[JsonSerializable(typeof(AmmSearchResponse))]
[JsonSerializable(typeof(AmmErrorResponse))]
internal sealed partial class AmmJsonContext : JsonSerializerContext;
