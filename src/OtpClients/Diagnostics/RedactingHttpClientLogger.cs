using System.Diagnostics;
using Microsoft.Extensions.Http.Logging;
using Microsoft.Extensions.Logging;

namespace OtpClients.Diagnostics;

/// <summary>
/// Replaces <c>IHttpClientFactory</c>'s request logging for the provider clients: it logs method, host, path, status and
/// time, never the query string (AMM's check carries the code there), headers (Basic credentials) or bodies.
/// </summary>
internal sealed class RedactingHttpClientLogger(ILogger logger) : IHttpClientLogger
{
    public object? LogRequestStart(HttpRequestMessage request) => Stopwatch.GetTimestamp();

    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            Log.HttpCompleted(logger, request.Method.Method, request.RequestUri?.Authority ?? string.Empty, request.RequestUri?.AbsolutePath ?? string.Empty, (int)response.StatusCode, elapsed.TotalMilliseconds);
        }
    }

    public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            Log.HttpFailed(logger, request.Method.Method, request.RequestUri?.Authority ?? string.Empty, request.RequestUri?.AbsolutePath ?? string.Empty, elapsed.TotalMilliseconds, exception.GetType().Name);
        }
    }
}
