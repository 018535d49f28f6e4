using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace OtpClients.Http;

/// <summary>
/// For plug-in providers: a provider's answer as the SDK reads the built-in providers' answers. The body is read at most
/// <see cref="OtpProviderOptions.MaxResponseBytes"/> (its <c>Content-Length</c> first, then counted while reading) and
/// within <see cref="OtpProviderOptions.AttemptTimeout"/>, and it is JSON only when it is strictly so: well-formed, an
/// object at the top, no comment, no property named twice at any depth (a second <c>"status"</c> cannot turn a refusal
/// into a success). Anything else leaves <see cref="Json"/> <see langword="null"/> and says why in <see cref="Problem"/>,
/// which a plug-in maps to <see cref="OtpErrorCode.UnexpectedResponse"/>: garbage never throws and never verifies.
/// </summary>
/// <remarks>
/// An answer that can say "verified" should also require <see cref="IsDeclaredJson"/>, as the built-in providers do: a
/// proxy's HTML page or a captive portal's text is then never read as the provider's answer.
/// </remarks>
public sealed class OtpProviderAnswer
{
    private OtpProviderAnswer(int statusCode, string? mediaType, JsonElement? json, string? problem, TimeSpan? retryAfter)
    {
        StatusCode = statusCode;
        MediaType = mediaType;
        Json = json;
        Problem = problem;
        RetryAfter = retryAfter;
    }

    /// <summary>Gets the HTTP status code.</summary>
    public int StatusCode { get; }

    /// <summary>Gets whether the status code is 2xx.</summary>
    public bool IsSuccessStatusCode => StatusCode is >= 200 and <= 299;

    /// <summary>Gets the media type the answer declared (<c>Content-Type</c> without parameters), or <see langword="null"/>.</summary>
    public string? MediaType { get; }

    /// <summary>Gets whether the answer declared itself JSON (<c>application/json</c>, <c>text/json</c> or a <c>+json</c> type).</summary>
    public bool IsDeclaredJson => ProviderTransport.IsJsonMediaType(MediaType);

    /// <summary>Gets the body's top-level JSON object (detached from the answer), or <see langword="null"/> when it is not strictly one (see <see cref="Problem"/>).</summary>
    public JsonElement? Json { get; }

    /// <summary>Gets why <see cref="Json"/> is <see langword="null"/> (empty, too large, unreadable, not JSON, not an object, a property named twice), for an error message; <see langword="null"/> when it is not.</summary>
    public string? Problem { get; }

    /// <summary>Gets the <c>Retry-After</c> header as a delay (from seconds or a date), or <see langword="null"/>.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Reads a top-level string property.</summary>
    /// <param name="name">The property's name (exact, case-sensitive).</param>
    /// <param name="value">Its value, when it is a JSON string.</param>
    /// <returns><see langword="true"/> when the property is there and is a string.</returns>
    public bool TryGetString(string name, [NotNullWhen(true)] out string? value)
    {
        value = Json is { } json && json.TryGetProperty(name, out var found) && found.ValueKind == JsonValueKind.String ? found.GetString() : null;
        return value is not null;
    }

    /// <summary>Reads a top-level boolean property (JSON <c>true</c> or <c>false</c>, never a string).</summary>
    /// <param name="name">The property's name (exact, case-sensitive).</param>
    /// <param name="value">Its value, when it is a JSON boolean.</param>
    /// <returns><see langword="true"/> when the property is there and is a boolean.</returns>
    public bool TryGetBoolean(string name, out bool value)
    {
        if (Json is { } json && json.TryGetProperty(name, out var found) && found.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            value = found.GetBoolean();
            return true;
        }

        value = false;
        return false;
    }

    /// <summary>Reads a top-level integer property (a JSON number that is a 32-bit integer, never a string).</summary>
    /// <param name="name">The property's name (exact, case-sensitive).</param>
    /// <param name="value">Its value, when it is such a number.</param>
    /// <returns><see langword="true"/> when the property is there and is such a number.</returns>
    public bool TryGetInt32(string name, out int value)
    {
        value = 0;
        return Json is { } json && json.TryGetProperty(name, out var found) && found.ValueKind == JsonValueKind.Number && found.TryGetInt32(out value);
    }

    /// <summary>
    /// Reads a provider's answer (see <see cref="OtpProviderAnswer"/>). The response is not disposed: the caller owns it.
    /// </summary>
    /// <param name="response">The answer, as the provider's HTTP call returned it (headers read, body not yet).</param>
    /// <param name="options">The provider's settings: <see cref="OtpProviderOptions.MaxResponseBytes"/> and <see cref="OtpProviderOptions.AttemptTimeout"/>.</param>
    /// <param name="timeProvider">The clock a <c>Retry-After</c> date is read against. Defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="cancellationToken">The caller's token: its cancellation propagates; a body that stops arriving (a dropped connection, the attempt timeout) is a <see cref="Problem"/>.</param>
    /// <returns>The answer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static async Task<OtpProviderAnswer> ReadAsync(HttpResponseMessage response, OtpProviderOptions options, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(options);
        var status = (int)response.StatusCode;
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var retryAfter = ProviderTransport.GetRetryAfter(response.Headers.RetryAfter, timeProvider ?? TimeProvider.System);
        var max = options.MaxResponseBytes;
        var length = response.Content.Headers.ContentLength;
        if (length > max)
        {
            return new OtpProviderAnswer(status, mediaType, null, TooLarge(max), retryAfter);
        }

        byte[] buffer;
        int count;
        var readTimeout = ReadTimeout.Rent(options.AttemptTimeout, cancellationToken);
        try
        {
            (buffer, count) = await ProviderTransport.ReadCappedAsync(response.Content, length, max, readTimeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new OtpProviderAnswer(status, mediaType, null, "the answer could not be read", retryAfter);
        }
        finally
        {
            readTimeout.Return();
        }

        try
        {
            if (count > max)
            {
                return new OtpProviderAnswer(status, mediaType, null, TooLarge(max), retryAfter);
            }

            var body = ProviderTransport.TrimBody(buffer.AsSpan(0, count));
            var (json, problem) = body.IsEmpty ? (null, "the answer is empty")
                : !ProviderTransport.IsStrictJson(body, allowTrailingCommas: false) ? (null, "the answer is not valid JSON, or names a property twice")
                : Parse(body);
            return new OtpProviderAnswer(status, mediaType, json, problem, retryAfter);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static (JsonElement? Json, string? Problem) Parse(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
        try
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (document.RootElement.Clone(), null)
                : (null, "the answer is not a JSON object");
        }
        catch (JsonException)
        {
            return (null, "the answer is not valid JSON, or names a property twice");
        }
    }

    private static string TooLarge(int max) => $"the answer is larger than {max} bytes ({nameof(OtpProviderOptions.MaxResponseBytes)})";
}
