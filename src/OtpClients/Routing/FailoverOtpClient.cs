using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

using OtpClients.Diagnostics;

namespace OtpClients.Failover;

/// <summary>
/// An <see cref="IOtpClient"/> over ordered lists of providers: a send goes to the first provider of the list for the
/// number's region (or of the default list), and moves to the next only when the failure proves the code was not sent
/// and another provider may succeed; a verify goes to the provider that sent the code (<see cref="OtpChallenge.ProviderName"/>,
/// matched exactly).
/// </summary>
/// <remarks>
/// <para>A send moves to the next provider only when <see cref="OtpError.MayHaveBeenAccepted"/> and <see cref="OtpError.IsRecipientLimit"/> are both <see langword="false"/>, and for:</para>
/// <list type="bullet">
/// <item><description><see cref="OtpErrorCode.NotSupported"/>: this provider cannot honour a setting or serve the number (a fixed code length, one country only);</description></item>
/// <item><description>
/// <see cref="OtpErrorCode.Unauthorized"/> and <see cref="OtpErrorCode.InsufficientCredit"/>: this account's problem says
/// nothing about the next provider. Each is logged at Error level (provider and reason, never the number or a key): an
/// operator must fix the keys or top up;
/// </description></item>
/// <item><description><see cref="OtpErrorCode.RateLimited"/> as HTTP 429 (the provider throttled the account and did not process the request);</description></item>
/// <item><description>
/// a transient <see cref="OtpErrorCode.ProviderUnavailable"/>, <see cref="OtpErrorCode.NetworkError"/>,
/// <see cref="OtpErrorCode.Timeout"/> or <see cref="OtpErrorCode.ProviderError"/>: an open circuit, a refused connection,
/// HTTP 503, a provider's explicit refusal for an internal error that did not send.
/// </description></item>
/// </list>
/// <para>
/// Everything else is returned at once: a caller's mistake (a number that cannot exist, a bad template) fails the same
/// everywhere; a failure after which the provider may have sent a code (a timeout after the request was written, a 5xx,
/// an unreadable success) must not be followed by a second code from another provider; and a per-recipient limit (AMM's
/// <c>ANTISPAM</c>, iP1's <c>ConcurrentLimit</c>) protects the person, whatever the provider. When every provider failed
/// over, the last error is returned with every provider's message. <c>docs/failover.md</c> has the whole table.
/// </para>
/// <para>
/// Routes: a region (ISO 3166-1 code, from <see cref="PhoneNumber.RegionCode"/>) may have its own ordered list; other
/// numbers take the default list. A number whose region has no route when there is no default list fails with
/// <see cref="OtpErrorCode.NotSupported"/> before any HTTP call.
/// </para>
/// </remarks>
public sealed class FailoverOtpClient : IOtpClient, IRoutedOtpClient
{
    /// <summary>The value of <see cref="ProviderName"/>.</summary>
    public const string Name = "failover";

    private readonly IOtpClient[] clients;
    private readonly IOtpClient[]? defaultRoute;
    private readonly Dictionary<string, IOtpClient[]> routes;
    private readonly ILogger logger;

    /// <summary>Creates a failover client with one list for every number.</summary>
    /// <param name="clients">The providers, in the order a send tries them. At least one; names must be distinct.</param>
    /// <param name="logger">The logger. Defaults to none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="clients"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="clients"/> is empty or names a provider twice.</exception>
    public FailoverOtpClient(IEnumerable<IOtpClient> clients, ILogger<FailoverOtpClient>? logger = null)
        : this(clients ?? throw new ArgumentNullException(nameof(clients)), new Dictionary<string, IEnumerable<IOtpClient>>(), logger)
    {
    }

    /// <summary>Creates a failover client that routes sends by the number's region.</summary>
    /// <param name="defaultRoute">The providers, in order, for numbers of a region without a route; <see langword="null"/> or empty: such numbers are <see cref="OtpErrorCode.NotSupported"/>.</param>
    /// <param name="routes">Region (ISO 3166-1 alpha-2, e.g. <c>IL</c>; case-insensitive) → the providers, in order, for its numbers.</param>
    /// <param name="logger">The logger. Defaults to none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="routes"/>, a list or a client is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No provider at all, a region that is not a known region code, a list that is empty or names a provider twice, or two providers of the same name.</exception>
    public FailoverOtpClient(IEnumerable<IOtpClient>? defaultRoute, IReadOnlyDictionary<string, IEnumerable<IOtpClient>> routes, ILogger<FailoverOtpClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(routes);
        this.defaultRoute = defaultRoute is null ? null : CheckList(defaultRoute, "the default route");
        if (this.defaultRoute is { Length: 0 })
        {
            this.defaultRoute = null;
        }

        this.routes = new Dictionary<string, IOtpClient[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var (region, list) in routes)
        {
            if (!OtpRoutes.IsRegionCode(region))
            {
                throw new ArgumentException($"'{region}' is not a region code (ISO 3166-1 alpha-2, such as IL or IT).", nameof(routes));
            }

            var checkedList = CheckList(list ?? throw new ArgumentNullException(nameof(routes)), "the route of " + region);
            if (checkedList.Length == 0)
            {
                throw new ArgumentException($"The route of {region} names no provider.", nameof(routes));
            }

            this.routes[region.ToUpperInvariant()] = checkedList;
        }

        var all = new List<IOtpClient>();
        foreach (var client in (this.defaultRoute ?? []).Concat(this.routes.Values.SelectMany(r => r)))
        {
            var same = all.Find(c => string.Equals(c.ProviderName, client.ProviderName, StringComparison.OrdinalIgnoreCase));
            if (same is null)
            {
                all.Add(client);
            }
            else if (!ReferenceEquals(same, client))
            {
                throw new ArgumentException($"Failover needs distinct providers: two clients are named '{client.ProviderName}' (a challenge names its provider, and verify is routed by that name).", nameof(routes));
            }
        }

        if (all.Count == 0)
        {
            throw new ArgumentException("Failover needs at least one provider.", defaultRoute is null ? nameof(routes) : nameof(defaultRoute));
        }

        clients = [.. all];
        this.logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Gets or sets the delivery health that reorders routes (<c>otp.UseDeliveryHealth</c>); <see langword="null"/>: the configured order.</summary>
    internal Delivery.OtpDeliveryHealthMonitor? DeliveryHealth { get; init; }

    /// <summary>Gets <c>"failover"</c>; the challenges it returns name the provider that sent the code.</summary>
    public string ProviderName => Name;

    /// <summary>Gets every provider: the default route's, in order, then those only routes name.</summary>
    public IReadOnlyList<IOtpClient> Clients => clients;

    /// <summary>Gets the providers, in order, for a region: its route, else the default route; empty when neither exists.</summary>
    /// <param name="regionCode">An ISO 3166-1 alpha-2 region code (case-insensitive), or <see langword="null"/> for the default route.</param>
    /// <returns>The providers a send to a number of that region tries, in order.</returns>
    public IReadOnlyList<IOtpClient> GetRoute(string? regionCode) =>
        regionCode is not null && routes.TryGetValue(regionCode, out var route) ? route : defaultRoute ?? [];

    /// <inheritdoc />
    /// <remarks>
    /// With delivery health (<c>otp.UseDeliveryHealth</c>), the providers demoted for the number's region go after the
    /// others of its route, except for a share of probes; the rules of moving on are the same.
    /// </remarks>
    public Task<OtpSendResult> SendAsync(OtpSendRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendCoreAsync(request, null, cancellationToken);
    }

    /// <inheritdoc />
    Task<OtpSendResult> IRoutedOtpClient.SendAsync(OtpSendRequest request, IReadOnlyList<string> alreadySent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(alreadySent);
        return SendCoreAsync(request, alreadySent, cancellationToken);
    }

    private async Task<OtpSendResult> SendCoreAsync(OtpSendRequest request, IReadOnlyList<string>? alreadySent, CancellationToken cancellationToken)
    {
        var route = defaultRoute;
        PhoneNumber? phone = null;
        if (routes.Count > 0 || DeliveryHealth is not null || alreadySent is not null)
        {
            if (RequestChecks.ParsePhone(request.PhoneNumber, out phone) is { } phoneError)
            {
                return OtpSendResult.Failure(phoneError);
            }

            if (phone!.RegionCode is { } region && routes.TryGetValue(region, out var regional))
            {
                route = regional;
            }
        }

        if (route is null)
        {
            PhoneNumber.TryParse(request.PhoneNumber, out var number);
            return OtpSendResult.Failure(RequestChecks.NotSupported(
                $"{nameof(OtpSendRequest.PhoneNumber)}: no provider is routed for numbers from {number?.RegionCode ?? "this country code"}; add a route for it, or a default route."));
        }

        if (DeliveryHealth is { } health)
        {
            route = await health.OrderAsync(route, Delivery.OtpDeliveryHealthMonitor.RegionOf(phone!, request.Channel), alreadySent, cancellationToken).ConfigureAwait(false);
        }
        else if (alreadySent is { Count: > 0 } && route.Length > 1)
        {
            // A resend without delivery health: the providers that have not sent for the session first, in the route's order.
            route = [.. route.Where(c => !alreadySent.Contains(c.ProviderName, StringComparer.Ordinal)), .. alreadySent.Select(n => Array.Find(route, c => c.ProviderName == n)).Where(c => c is not null).Distinct().Select(c => c!)];
        }

        List<string>? failures = null;
        for (var i = 0; i < route.Length; i++)
        {
            var client = route[i];
            var result = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (result.IsSuccess || i == route.Length - 1 || !ShouldFailOver(result.Error))
            {
                return failures is null || result.IsSuccess
                    ? result
                    : OtpSendResult.Failure(result.Error with { Message = string.Join(" | ", [.. failures, $"{client.ProviderName}: {result.Error.Message}"]) });
            }

            (failures ??= []).Add($"{client.ProviderName}: {result.Error.Message}");
            if (result.Error.Code is OtpErrorCode.Unauthorized or OtpErrorCode.InsufficientCredit)
            {
                Log.AccountRefused(logger, client.ProviderName, result.Error.Code, result.Error.ProviderCode ?? "(none)", route[i + 1].ProviderName);
            }
            else
            {
                Log.FailingOver(logger, client.ProviderName, route[i + 1].ProviderName, result.Error.Code);
            }
        }

        throw new InvalidOperationException("Unreachable: the last provider always returns.");
    }

    /// <summary>
    /// Checks a code with the provider that sent it: the one whose <see cref="IOtpClient.ProviderName"/> is exactly
    /// <see cref="OtpChallenge.ProviderName"/> (case-sensitive). A challenge that names no provider of this client, or
    /// names one with another case (a relabelled challenge), is <see cref="OtpVerificationStatus.NotFound"/> and is sent nowhere.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>The provider's result.</returns>
    public Task<OtpVerifyResult> VerifyAsync(OtpVerifyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Challenge, "request.Challenge");
        foreach (var client in clients)
        {
            if (string.Equals(client.ProviderName, request.Challenge.ProviderName, StringComparison.Ordinal))
            {
                return client.VerifyAsync(request, cancellationToken);
            }
        }

        return Task.FromResult(OtpVerifyResult.Rejected(OtpVerificationStatus.NotFound, null));
    }

    /// <summary>Tells whether a failed send may go to the next provider: it certainly sent nothing, and another provider may succeed.</summary>
    /// <param name="error">The error of the send.</param>
    /// <returns><see langword="true"/> to try the next provider.</returns>
    public static bool ShouldFailOver(OtpError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error.MayHaveBeenAccepted || error.IsRecipientLimit)
        {
            return false;
        }

        return error.Code switch
        {
            OtpErrorCode.NotSupported or OtpErrorCode.Unauthorized or OtpErrorCode.InsufficientCredit => true,
            OtpErrorCode.RateLimited => error.HttpStatusCode == 429,
            OtpErrorCode.ProviderUnavailable or OtpErrorCode.NetworkError or OtpErrorCode.Timeout or OtpErrorCode.ProviderError => error.IsTransient,
            _ => false,
        };
    }

    private static IOtpClient[] CheckList(IEnumerable<IOtpClient> list, string what)
    {
        IOtpClient[] array = [.. list];
        foreach (var client in array)
        {
            if (client is null)
            {
                throw new ArgumentNullException(nameof(list), $"A provider of {what} is null.");
            }
        }

        if (array.Select(c => c.ProviderName).Distinct(StringComparer.OrdinalIgnoreCase).Count() != array.Length)
        {
            throw new ArgumentException($"Failover needs distinct providers: {what} names a provider twice (a challenge names its provider, and verify is routed by that name).", nameof(list));
        }

        return array;
    }
}
