using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using OtpClients.Http;

namespace OtpClients.NinetyNineDigital;

/// <summary>
/// 99digital's Verify SMS wire protocol, one method per endpoint, as a Refit interface would declare it:
/// <code>
/// [Multipart] [Post("{SendPath}")]  Task&lt;ApiResponse&lt;NinetyNineDigitalSendResponse&gt;&gt; Send(apiKey, from, to, message?);
/// [Multipart] [Post("{CheckPath}")] Task&lt;ApiResponse&lt;NinetyNineDigitalCheckResponse&gt;&gt; Check(apiKey, to, code);
/// </code>
/// Bodies are <c>multipart/form-data</c> with one plain part per field (no per-part content type, no file name);
/// the key travels only in its <c>apiKey</c> field, no header carries it. Implemented over <see cref="HttpClient"/>
/// (Refit is not in this project's package registry).
/// </summary>
internal sealed class NinetyNineDigitalApi
{
    public static readonly OtpOperation SendOperation = new(OtpProviderNames.NinetyNineDigital, "send", isReadOnly: false);
    public static readonly OtpOperation CheckOperation = new(OtpProviderNames.NinetyNineDigital, "check", isReadOnly: false);

    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");

    private readonly HttpClient http;
    private readonly string apiKey;
    private readonly Uri sendUri;
    private readonly Uri checkUri;
    private readonly OtpProviderOptions options;
    private readonly TimeProvider timeProvider;

    private readonly Microsoft.Extensions.Logging.ILogger logger;

    public NinetyNineDigitalApi(HttpClient http, NinetyNineDigitalOptions options, TimeProvider timeProvider, Microsoft.Extensions.Logging.ILogger logger)
    {
        this.http = http;
        this.logger = logger;
        this.timeProvider = timeProvider;
        apiKey = options.ApiKey!;
        sendUri = options.Resolve(options.SendPath);
        checkUri = options.Resolve(options.CheckPath);
        this.options = options;
    }

    /// <summary><c>POST {SendPath}</c> with <c>apiKey</c>, <c>from</c>, <c>to</c> and, when set, <c>message</c>.</summary>
    public Task<ApiResponse<NinetyNineDigitalSendResponse, NinetyNineDigitalSendResponse>> SendAsync(string from, string to, string? message, CancellationToken cancellationToken)
    {
        var form = Form(("apiKey", apiKey), ("from", from), ("to", to));
        if (message is not null)
        {
            Add(form, "message", message);
        }

        return SendAsync(sendUri, form, SendOperation, NinetyNineDigitalJsonContext.Default.NinetyNineDigitalSendResponse, cancellationToken);
    }

    /// <summary><c>POST {CheckPath}</c> with <c>apiKey</c>, <c>to</c> and <c>code</c>.</summary>
    public Task<ApiResponse<NinetyNineDigitalCheckResponse, NinetyNineDigitalCheckResponse>> CheckAsync(string to, string code, CancellationToken cancellationToken) =>
        SendAsync(checkUri, Form(("apiKey", apiKey), ("to", to), ("code", code)), CheckOperation, NinetyNineDigitalJsonContext.Default.NinetyNineDigitalCheckResponse, cancellationToken);

    private static MultipartFormDataContent Form(params ReadOnlySpan<(string Name, string Value)> fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            Add(form, name, value);
        }

        return form;
    }

    private static void Add(MultipartFormDataContent form, string name, string value)
    {
        var part = new ByteArrayContent(Encoding.UTF8.GetBytes(value));
        part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"" + name + "\"" };
        form.Add(part);
    }

    private Task<ApiResponse<T, T>> SendAsync<T>(Uri uri, MultipartFormDataContent form, OtpOperation operation, JsonTypeInfo<T> info, CancellationToken cancellationToken)
        where T : class
    {
        var request = new OtpRequestMessage(HttpMethod.Post, uri, operation) { Content = form };
        request.Headers.Accept.Add(AcceptJson);
        return ProviderTransport.SendAsync(http, request, operation, info, info, options, timeProvider, logger, cancellationToken);
    }
}

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
