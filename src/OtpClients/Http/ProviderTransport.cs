using System.Buffers;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace OtpClients.Http;

/// <summary>
/// Sends one request to a provider and turns whatever happens into an <see cref="ApiResponse{TContent, TError}"/>:
/// transport failures become <see cref="OtpError"/>s, the body is read with a size cap and parsed tolerantly.
/// Only the caller's cancellation escapes, as <see cref="OperationCanceledException"/>.
/// </summary>
internal static partial class ProviderTransport
{
    private const int InitialBufferSize = 4096;

    /// <summary>
    /// Awaits the answer of one call of a provider's Refit interface (<paramref name="sending"/>, which returns the
    /// <see cref="HttpResponseMessage"/> as soon as its headers arrived), disposes it, and reads its body with the
    /// answer-size cap and the attempt timeout.
    /// </summary>
    /// <remarks>
    /// With <paramref name="strict"/> (the answers that can say "verified"), a 2xx body is read only when it is declared
    /// as JSON (<c>application/json</c>, <c>text/json</c> or <c>+json</c>) and is well-formed JSON with no property repeated
    /// at any depth and no comment; otherwise its content is <see langword="null"/> (unreadable), which never verifies.
    /// The caller's cancellation surfaces as <see cref="OtpOperationCanceledException"/>.
    /// </remarks>
    public static async Task<ApiResponse<TContent, TError>> ReceiveAsync<TContent, TError>(
        Task<HttpResponseMessage> sending,
        OtpOperation operation,
        JsonTypeInfo<TContent> contentInfo,
        JsonTypeInfo<TError>? errorInfo,
        ProviderChannel channel,
        CancellationToken cancellationToken,
        bool strict = false)
        where TContent : class
        where TError : class
    {
        var start = channel.Logger.IsEnabled(LogLevel.Debug) ? channel.TimeProvider.GetTimestamp() : 0;
        HttpResponseMessage response;
        try
        {
            response = await sending.ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            LogExchange(channel.Logger, operation, null, start, channel.TimeProvider, null, ex);
            throw Canceled(ex, operation, WireCancellation(ex)?.MayHaveBeenAccepted ?? false, cancellationToken);
        }
        catch (Exception ex) when (TryMapException(ex, operation, cancellationToken, out var error))
        {
            LogExchange(channel.Logger, operation, null, start, channel.TimeProvider, null, ex);
            return new ApiResponse<TContent, TError> { TransportError = error };
        }

        // The body, in a frame of its own that completes without suspending when the body has arrived with the headers
        // (small answers on a kept-alive connection): this frame, suspended on the headers, stays small.
        return await ReadAnswerAsync(response, operation, contentInfo, errorInfo, channel, start, strict, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads and disposes an answer whose headers arrived (see <see cref="ReceiveAsync"/>).</summary>
    private static async ValueTask<ApiResponse<TContent, TError>> ReadAnswerAsync<TContent, TError>(
        HttpResponseMessage response,
        OtpOperation operation,
        JsonTypeInfo<TContent> contentInfo,
        JsonTypeInfo<TError>? errorInfo,
        ProviderChannel channel,
        long start,
        bool strict,
        CancellationToken cancellationToken)
        where TContent : class
        where TError : class
    {
        var logger = channel.Logger;
        var timeProvider = channel.TimeProvider;
        var options = channel.Options;
        var maxResponseBytes = options.MaxResponseBytes;
        using (response)
        {
            LogExchange(logger, operation, response.RequestMessage, start, timeProvider, response, null);
            var status = (int)response.StatusCode;
            var retryAfter = GetRetryAfter(response.Headers.RetryAfter, timeProvider);
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            var length = response.Content.Headers.ContentLength;
            if (length > maxResponseBytes)
            {
                return TooLarge<TContent, TError>(operation, status, maxResponseBytes);
            }

            byte[]? buffer = null;
            try
            {
                int count;
                try
                {
                    // The body is read after the resilience pipeline returned the headers: bound it by the attempt timeout too.
                    var readTimeout = ReadTimeout.Rent(options.AttemptTimeout, cancellationToken);
                    try
                    {
                        (buffer, count) = await ReadCappedAsync(response.Content, length, maxResponseBytes, readTimeout.Token).ConfigureAwait(false);
                    }
                    finally
                    {
                        readTimeout.Return();
                    }
                }
                catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
                {
                    // The provider answered: whatever it did with the request, it did.
                    throw Canceled(ex, operation, operation.MayBeAcceptedOnFailure, cancellationToken);
                }
                catch (Exception ex) when (TryMapException(ex, operation, cancellationToken, out var error))
                {
                    return new ApiResponse<TContent, TError> { TransportError = error with { HttpStatusCode = status } };
                }

                if (count > maxResponseBytes)
                {
                    return TooLarge<TContent, TError>(operation, status, maxResponseBytes);
                }

                var body = TrimBody(buffer.AsSpan(0, count));
                var isEmpty = body.IsEmpty;
                TContent? content = null;
                TError? errorContent = null;
                if (!isEmpty)
                {
                    if (status is >= 200 and <= 299)
                    {
                        content = !strict || IsJsonMediaType(mediaType) && IsStrictJson(body, contentInfo.Options.AllowTrailingCommas)
                            ? TryDeserialize(body, contentInfo)
                            : null;
                    }
                    else if (errorInfo is not null)
                    {
                        errorContent = TryDeserialize(body, errorInfo);
                    }

                    if (LenientFields.Take(out var kinds) is > 0 and var odd && logger.IsEnabled(LogLevel.Debug))
                    {
                        Diagnostics.Log.OddFieldsIgnored(logger, operation.ToString(), odd, kinds ?? string.Empty);
                    }
                }

                return new ApiResponse<TContent, TError>
                {
                    StatusCode = status,
                    Content = content,
                    ErrorContent = errorContent,
                    IsBodyEmpty = isEmpty,
                    RetryAfter = retryAfter,
                    MediaType = mediaType,
                };
            }
            finally
            {
                if (buffer is not null)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
    }

    /// <summary>Logs one HTTP exchange at Debug: method, host, path, status. Never the query string, headers or body.</summary>
    private static void LogExchange(ILogger logger, OtpOperation operation, HttpRequestMessage? request, long start, TimeProvider timeProvider, HttpResponseMessage? response, Exception? exception)
    {
        if (start == 0 || !logger.IsEnabled(LogLevel.Debug))
        {
            return;
        }

        var elapsed = timeProvider.GetElapsedTime(start).TotalMilliseconds;
        var host = request?.RequestUri?.Authority ?? string.Empty;
        var path = request?.RequestUri?.AbsolutePath ?? string.Empty;
        if (response is not null)
        {
            Diagnostics.Log.HttpCompleted(logger, request?.Method.Method ?? string.Empty, host, path, (int)response.StatusCode, elapsed);
        }
        else
        {
            Diagnostics.Log.HttpFailed(logger, operation.ToString(), elapsed, exception?.GetType().Name ?? "unknown");
        }
    }

    private static readonly JsonDocumentOptions StrictDocument = new() { AllowDuplicateProperties = false, CommentHandling = JsonCommentHandling.Disallow };
    private static readonly JsonDocumentOptions StrictDocumentWithTrailingCommas = StrictDocument with { AllowTrailingCommas = true };

    /// <summary>Finds what the wire handler said about a cancellation: HttpClient wraps it when the token differs.</summary>
    private static OtpOperationCanceledException? WireCancellation(Exception? exception)
    {
        for (var depth = 0; exception is not null && depth < 8; depth++, exception = exception.InnerException)
        {
            if (exception is OtpOperationCanceledException wire)
            {
                return wire;
            }
        }

        return null;
    }

    private static OtpOperationCanceledException Canceled(OperationCanceledException ex, OtpOperation operation, bool mayHaveBeenAccepted, CancellationToken cancellationToken)
    {
        var accepted = mayHaveBeenAccepted && operation.MayBeAcceptedOnFailure;
        return new OtpOperationCanceledException(
            accepted
                ? $"{operation}: cancelled after the request was sent; the provider may have acted on it, so do not repeat it blindly."
                : $"{operation}: cancelled before the request reached the provider.",
            ex,
            cancellationToken,
            accepted);
    }

    /// <summary>Maps a failure of the HTTP call to an error; returns <see langword="false"/> for the caller's cancellation and for bugs.</summary>
    public static bool TryMapException(Exception exception, OtpOperation operation, CancellationToken cancellationToken, out OtpError error)
    {
        var accepted = operation.MayBeAcceptedOnFailure;
        switch (exception)
        {
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                error = null!;
                return false;
            case TimeoutRejectedException:
            case OperationCanceledException:
            case TimeoutException:
                error = new OtpError(OtpErrorCode.Timeout, accepted
                    ? $"{operation}: no answer in time; the provider may have processed the request, so it was not repeated."
                    : $"{operation}: no answer in time.")
                {
                    IsTransient = true,
                    MayHaveBeenAccepted = accepted,
                };
                return true;
            case OtpRedirectException:
                error = new OtpError(OtpErrorCode.UnexpectedResponse, $"{operation}: the answer came from another address (a redirect was followed by the HttpClient's handler); it was refused, and the request was not sent on.");
                return true;
            case BrokenCircuitException:
                error = new OtpError(OtpErrorCode.ProviderUnavailable, $"{operation}: the circuit breaker is open after repeated failures; the request was not sent.")
                {
                    IsTransient = true,
                };
                return true;
            case HttpRequestException http when IsBeforeRequestWritten(http):
                error = new OtpError(OtpErrorCode.NetworkError, $"{operation}: could not connect to the provider ({Describe(http)}); the request was not sent.")
                {
                    IsTransient = true,
                };
                return true;
            case HttpRequestException http:
                error = new OtpError(OtpErrorCode.NetworkError, $"{operation}: the connection failed during the exchange ({Describe(http)}).")
                {
                    IsTransient = true,
                    MayHaveBeenAccepted = accepted,
                };
                return true;
            case IOException or SocketException:
                error = new OtpError(OtpErrorCode.NetworkError, $"{operation}: the connection failed while reading the answer.")
                {
                    IsTransient = true,
                    MayHaveBeenAccepted = accepted,
                };
                return true;
            default:
                error = null!;
                return false;
        }
    }

    /// <summary>Tells whether a failed request certainly never reached the provider: name resolution, connect or TLS failed.</summary>
    public static bool IsBeforeRequestWritten(HttpRequestException exception) => exception.HttpRequestError is
        HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError;

    private static string Describe(HttpRequestException exception) => exception.HttpRequestError switch
    {
        HttpRequestError.NameResolutionError => "name resolution failed",
        HttpRequestError.ConnectionError => "connection refused or unreachable",
        HttpRequestError.SecureConnectionError => "TLS handshake failed",
        HttpRequestError.ProxyTunnelError => "proxy tunnel failed",
        HttpRequestError.ResponseEnded => "the answer ended early",
        HttpRequestError.InvalidResponse => "the answer was not valid HTTP",
        HttpRequestError.HttpProtocolError => "HTTP protocol error",
        _ => "transport error",
    };

    private static ApiResponse<TContent, TError> TooLarge<TContent, TError>(OtpOperation operation, int status, int max)
        where TContent : class
        where TError : class =>
        new()
        {
            TransportError = new OtpError(OtpErrorCode.UnexpectedResponse, $"{operation}: the answer is larger than {max} bytes ({nameof(OtpProviderOptions.MaxResponseBytes)}) and was not read.")
            {
                HttpStatusCode = status,
                MayHaveBeenAccepted = operation.MayBeAcceptedOnFailure && status is (>= 200 and <= 299) or >= 500,
            },
        };

    internal static async ValueTask<(byte[] Buffer, int Count)> ReadCappedAsync(HttpContent content, long? length, int max, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var initial = length is { } l ? (int)Math.Min(l + 1, max + 1L) : InitialBufferSize;
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initial, 16));
            var count = 0;
            try
            {
                while (true)
                {
                    if (count == buffer.Length)
                    {
                        if (count > max)
                        {
                            return (buffer, count);
                        }

                        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, max + 1L));
                        buffer.AsSpan(0, count).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(count), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return (buffer, count);
                    }

                    count += read;
                    if (count > max)
                    {
                        return (buffer, count);
                    }
                }
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }
        }
    }

    internal static ReadOnlySpan<byte> TrimBody(ReadOnlySpan<byte> body)
    {
        ReadOnlySpan<byte> bom = [0xEF, 0xBB, 0xBF];
        if (body.StartsWith(bom))
        {
            body = body[bom.Length..];
        }

        return body.Trim(" \t\r\n"u8);
    }

    /// <summary>Reads <c>Retry-After</c> as a delay, whether it came as seconds or as a date.</summary>
    public static TimeSpan? GetRetryAfter(RetryConditionHeaderValue? header, TimeProvider timeProvider)
    {
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - timeProvider.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>Creates the parameter of a Basic <c>Authorization</c> header (the part after <c>Basic </c>).</summary>
    public static string BasicParameter(string user, string password) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
}
