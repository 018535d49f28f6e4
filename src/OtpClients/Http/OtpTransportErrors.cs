using System.Diagnostics.CodeAnalysis;

namespace OtpClients.Http;

/// <summary>
/// For plug-in providers: the SDK's mapping of a failed HTTP call to an <see cref="OtpError"/>, the same the built-in
/// providers use, so that a plug-in's outages read like theirs (and failover, the guard and sessions treat them alike).
/// </summary>
public static class OtpTransportErrors
{
    /// <summary>
    /// Maps an exception thrown by a provider call through the SDK's <see cref="HttpClient"/> (its resilience handler
    /// included): the attempt or total timeout (<see cref="OtpErrorCode.Timeout"/>), an open circuit
    /// (<see cref="OtpErrorCode.ProviderUnavailable"/>, nothing sent), a connection that failed before the request was
    /// written (<see cref="OtpErrorCode.NetworkError"/>, nothing sent) or during the exchange (may have been accepted when
    /// <paramref name="operation"/> is not read-only), and a followed redirect (<see cref="OtpErrorCode.UnexpectedResponse"/>).
    /// </summary>
    /// <param name="exception">What the call threw.</param>
    /// <param name="operation">The operation the request carried (its <see cref="OtpOperation.IsReadOnly"/> decides whether a lost answer may mean the provider acted).</param>
    /// <param name="cancellationToken">The caller's token: its own cancellation is not mapped (let it propagate).</param>
    /// <param name="error">The error, when mapped.</param>
    /// <returns><see langword="false"/> for the caller's cancellation and for exceptions that are bugs, which should propagate.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> or <paramref name="operation"/> is <see langword="null"/>.</exception>
    public static bool TryMap(Exception exception, OtpOperation operation, CancellationToken cancellationToken, [NotNullWhen(true)] out OtpError? error)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(operation);
        var mapped = ProviderTransport.TryMapException(exception, operation, cancellationToken, out var found);
        error = mapped ? found : null;
        return mapped;
    }
}
