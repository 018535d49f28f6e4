using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

using OtpClients.Diagnostics;

namespace OtpClients.Failover;

/// <summary>
/// An <see cref="IOtpClient"/> over an ordered list of providers: a send goes to the first, and moves to the next only
/// when the failure proves the code was not sent and another provider may succeed; a verify goes to the provider
/// that sent the code (<see cref="OtpChallenge.ProviderName"/>).
/// </summary>
/// <remarks>
/// <para>A send moves to the next provider only for:</para>
/// <list type="bullet">
/// <item><description><see cref="OtpErrorCode.NotSupported"/>: this provider cannot honour a setting or serve the number (a fixed code length, one country only);</description></item>
/// <item><description>
/// a transient error with <see cref="OtpError.MayHaveBeenAccepted"/> <see langword="false"/>: an open circuit, a refused
/// connection, HTTP 503, HTTP 429, a provider's explicit refusal for an internal error.
/// </description></item>
/// </list>
/// <para>
/// Everything else is returned at once: a caller's mistake (a bad phone number or template) fails the same everywhere,
/// and a failure after which the provider may have sent a code (a timeout after the request was written, a 5xx) must not
/// be followed by a second code from another provider. Per-recipient limits (a provider's anti-spam or concurrent
/// limit) are not failed over either: they protect the recipient, whatever the provider.
/// When every provider failed over, the last error is returned with every provider's message.
/// </para>
/// </remarks>
public sealed class FailoverOtpClient : IOtpClient
{
    /// <summary>The value of <see cref="ProviderName"/>.</summary>
    public const string Name = "failover";

    private readonly IOtpClient[] clients;
    private readonly ILogger logger;

    /// <summary>Creates a failover client.</summary>
    /// <param name="clients">The providers, in the order a send tries them. At least one; names must be distinct.</param>
    /// <param name="logger">The logger. Defaults to none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="clients"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="clients"/> is empty or names a provider twice.</exception>
    public FailoverOtpClient(IEnumerable<IOtpClient> clients, ILogger<FailoverOtpClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(clients);
        this.clients = [.. clients];
        if (this.clients.Length == 0)
        {
            throw new ArgumentException("Failover needs at least one provider.", nameof(clients));
        }

        foreach (var client in this.clients)
        {
            ArgumentNullException.ThrowIfNull(client, nameof(clients));
        }

        if (this.clients.Select(c => c.ProviderName).Distinct(StringComparer.OrdinalIgnoreCase).Count() != this.clients.Length)
        {
            throw new ArgumentException("Failover needs distinct providers: a challenge names its provider, and verify is routed by that name.", nameof(clients));
        }

        this.logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Gets <c>"failover"</c>; the challenges it returns name the provider that sent the code.</summary>
    public string ProviderName => Name;

    /// <summary>Gets the providers, in the order a send tries them.</summary>
    public IReadOnlyList<IOtpClient> Clients => clients;

    /// <inheritdoc />
    public async Task<OtpSendResult> SendAsync(OtpSendRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        List<string>? failures = null;
        for (var i = 0; i < clients.Length; i++)
        {
            var client = clients[i];
            var result = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (result.IsSuccess || i == clients.Length - 1 || !ShouldFailOver(result.Error))
            {
                return failures is null || result.IsSuccess
                    ? result
                    : OtpSendResult.Failure(result.Error with { Message = string.Join(" | ", [.. failures, $"{client.ProviderName}: {result.Error.Message}"]) });
            }

            (failures ??= []).Add($"{client.ProviderName}: {result.Error.Message}");
            Log.FailingOver(logger, client.ProviderName, clients[i + 1].ProviderName, result.Error.Code);
        }

        throw new InvalidOperationException("Unreachable: the last provider always returns.");
    }

    /// <inheritdoc />
    public Task<OtpVerifyResult> VerifyAsync(OtpVerifyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Challenge, "request.Challenge");
        foreach (var client in clients)
        {
            if (string.Equals(client.ProviderName, request.Challenge.ProviderName, StringComparison.OrdinalIgnoreCase))
            {
                return client.VerifyAsync(request, cancellationToken);
            }
        }

        return Task.FromResult(OtpVerifyResult.Failure(new OtpError(
            OtpErrorCode.InvalidRequest,
            $"Challenge.ProviderName names no provider of this failover client ({string.Join(", ", clients.Select(c => c.ProviderName))}).")));
    }

    /// <summary>Tells whether a failed send may go to the next provider: it certainly sent nothing, and another provider may succeed.</summary>
    /// <param name="error">The error of the send.</param>
    /// <returns><see langword="true"/> to try the next provider.</returns>
    public static bool ShouldFailOver(OtpError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error.MayHaveBeenAccepted)
        {
            return false;
        }

        return error.Code switch
        {
            OtpErrorCode.NotSupported => true,
            OtpErrorCode.RateLimited => error.HttpStatusCode == 429,
            OtpErrorCode.ProviderUnavailable or OtpErrorCode.NetworkError or OtpErrorCode.Timeout or OtpErrorCode.ProviderError => error.IsTransient,
            _ => false,
        };
    }
}
