using Microsoft.Extensions.Logging;
using OtpClients.Diagnostics;
using OtpClients.Failover;

namespace OtpClients.Guard;

/// <summary>
/// The send guard: an <see cref="IOtpClient"/> in front of the registration's client (failover and routing included)
/// that refuses abusive sends and verifies before any HTTP call, taking every counter of a request in one atomic store
/// call (one Redis round trip).
/// </summary>
internal sealed class SendGuardOtpClient(IOtpClient inner, SendGuardPolicy policy, IOtpGuardStore store, TimeProvider timeProvider, ILogger logger) : IRoutedOtpClient
{
    private static readonly TimeSpan GlobalWindow = TimeSpan.FromHours(1);
    private static readonly TimeSpan DefaultVerifyWindow = TimeSpan.FromHours(1);

    public string ProviderName => inner.ProviderName;

    public Task<OtpSendResult> SendAsync(OtpSendRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendCoreAsync(request, null, cancellationToken);
    }

    /// <summary>A resend of a session is a send like any other for every rule; the plan goes on to the failover client.</summary>
    Task<OtpSendResult> IRoutedOtpClient.SendAsync(OtpSendRequest request, IReadOnlyList<string> alreadySent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(alreadySent);
        return SendCoreAsync(request, alreadySent, cancellationToken);
    }

    private Task<OtpSendResult> SendInnerAsync(OtpSendRequest request, IReadOnlyList<string>? alreadySent, CancellationToken cancellationToken) =>
        alreadySent is not null && inner is IRoutedOtpClient routed
            ? routed.SendAsync(request, alreadySent, cancellationToken)
            : inner.SendAsync(request, cancellationToken);

    private async Task<OtpSendResult> SendCoreAsync(OtpSendRequest request, IReadOnlyList<string>? alreadySent, CancellationToken cancellationToken)
    {
        var options = policy.Options;
        if (!PhoneNumber.TryParse(request.PhoneNumber, out var number, out var unreadable))
        {
            // What the guard cannot read it cannot count: a provider that takes national numbers would otherwise get
            // every send unguarded. Nothing is sent.
            return OtpSendResult.Failure(new OtpError(OtpErrorCode.InvalidPhoneNumber, "The send guard refused the phone number, so nothing was sent: " + unreadable));
        }

        OtpIpKeys? ip = null;
        if (request.ClientIpAddress is null)
        {
            if (options.RequireClientIpAddress)
            {
                return OtpSendResult.Failure(RequestChecks.InvalidRequest("ClientIpAddress is required: the send guard counts sends per client IP (SendGuard:RequireClientIpAddress)."));
            }
        }
        else if (RequestChecks.CheckIpAddress(request.ClientIpAddress, out var canonical, nameof(OtpSendRequest) + "." + nameof(OtpSendRequest.ClientIpAddress)) is { } invalidIp)
        {
            return OtpSendResult.Failure(invalidIp);
        }
        else
        {
            ip = SendGuardPolicy.IpKeys(canonical!);
        }

        var region = number.RegionCode;
        if (policy.BlockedNumbers.Contains(number.E164))
        {
            return OtpSendResult.Failure(Refuse(OtpGuardRules.BlockedNumber, "send", number, null, "The number is blocked by the app's send policy (SendGuard:BlockedNumbers)."));
        }

        if (policy.BlockedTypeOf(number) is { } type)
        {
            return OtpSendResult.Failure(Refuse(OtpGuardRules.BlockedNumberType, "send", number, null, $"Sends to {type} numbers are blocked by the app's send policy: pumping targets them (SendGuard:AllowedNumberTypes may name {type})."));
        }

        if (region is null ? policy.AllowedRegions.Count > 0 || policy.BlockedRegions.Count > 0 : policy.BlockedRegions.Contains(region) || (policy.AllowedRegions.Count > 0 && !policy.AllowedRegions.Contains(region)))
        {
            return OtpSendResult.Failure(Refuse(OtpGuardRules.BlockedRegion, "send", number, null, $"Sends to numbers of region {region ?? "none (a non-geographic number)"} are blocked by the app's send policy (SendGuard:AllowedRegions, SendGuard:BlockedRegions)."));
        }

        var scope = policy.Scope;
        var regionKey = region ?? "001";
        var counters = new List<OtpGuardCounter>(8);
        if (options.Cooldown > TimeSpan.Zero)
        {
            counters.Add(new(OtpGuardRules.Cooldown, scope + "cooldown:" + number.E164, 1, options.Cooldown));
        }

        if (options.MaxSendsPerNumber > 0)
        {
            counters.Add(new(OtpGuardRules.Number, scope + "number:" + number.E164, options.MaxSendsPerNumber, options.NumberWindow));
        }

        if (ip is { } keys)
        {
            if (options.MaxSendsPerIp > 0)
            {
                counters.Add(new(OtpGuardRules.Ip, scope + "ip:" + keys.Address, options.MaxSendsPerIp, options.IpWindow));
            }

            if (keys.Slash56 is not null && options.MaxSendsPerIpv6Prefix56 > 0)
            {
                counters.Add(new(OtpGuardRules.Ipv6Prefix56, scope + "ip56:" + keys.Slash56, options.MaxSendsPerIpv6Prefix56, options.IpWindow));
            }

            if (keys.Slash48 is not null && options.MaxSendsPerIpv6Prefix48 > 0)
            {
                counters.Add(new(OtpGuardRules.Ipv6Prefix48, scope + "ip48:" + keys.Slash48, options.MaxSendsPerIpv6Prefix48, options.IpWindow));
            }

            if (options.MaxRegionsPerIp > 0)
            {
                counters.Add(new(OtpGuardRules.RegionsPerIp, scope + "regions:" + keys.Address, options.MaxRegionsPerIp, options.RegionsPerIpWindow, regionKey));
            }
        }

        if (options.MaxSendsPerRegion > 0)
        {
            counters.Add(new(OtpGuardRules.Region, scope + "region:" + regionKey, options.MaxSendsPerRegion, options.RegionWindow));
        }

        if (options.MaxSendsPerHour > 0)
        {
            counters.Add(new(OtpGuardRules.Global, scope + "global", options.MaxSendsPerHour, GlobalWindow));
        }

        var conversion = options.Conversion.Enabled && ip is { } from ? Conversions(from) : null;
        OtpGuardRequest? taken = null;
        if (counters.Count > 0 || conversion is not null)
        {
            taken = new OtpGuardRequest(timeProvider.GetUtcNow(), counters, conversion);
            var (decision, storeError, counted) = await AcquireAsync(taken, "send", number, cancellationToken).ConfigureAwait(false);
            if (storeError is not null)
            {
                return OtpSendResult.Failure(storeError);
            }

            if (!decision.IsAllowed)
            {
                return OtpSendResult.Failure(Refuse(decision.RefusedBy!, "send", number, decision.RetryAfter, Explain(decision.RefusedBy!, region)));
            }

            if (!counted)
            {
                taken = null; // failed open: nothing was counted, so nothing is given back
            }
        }

        var result = await SendInnerAsync(request, alreadySent, cancellationToken).ConfigureAwait(false);
        if (taken is not null && SendGuardPolicy.NothingWasDone(result.Error))
        {
            await GiveBackAsync(taken, "send", keepIp: true).ConfigureAwait(false);
        }

        return result;
    }

    public async Task<OtpVerifyResult> VerifyAsync(OtpVerifyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = policy.Options;
        var challenge = request.Challenge;
        if (challenge is null || challenge.Id is null || challenge.ProviderName is null)
        {
            return await inner.VerifyAsync(request, cancellationToken).ConfigureAwait(false); // the client names what is wrong
        }

        PhoneNumber.TryParse(challenge.PhoneNumber, out var number);
        OtpIpKeys? ip = null;
        if (request.ClientIpAddress is not null)
        {
            if (RequestChecks.CheckIpAddress(request.ClientIpAddress, out var canonical, nameof(OtpVerifyRequest) + "." + nameof(OtpVerifyRequest.ClientIpAddress)) is { } invalidIp)
            {
                return OtpVerifyResult.Failure(invalidIp);
            }

            ip = SendGuardPolicy.IpKeys(canonical!);
        }

        var now = timeProvider.GetUtcNow();
        var counters = new List<OtpGuardCounter>(3);
        if (options.MaxVerifyAttempts > 0)
        {
            var window = challenge.ExpiresAt is { } expiresAt && expiresAt > now && expiresAt - now <= TimeSpan.FromDays(1) ? expiresAt - now : DefaultVerifyWindow;
            counters.Add(new OtpGuardCounter(OtpGuardRules.VerifyAttempts, policy.Scope + "verify:" + policy.VerifyKey(challenge, number), options.MaxVerifyAttempts, window));
        }

        if (ip is { } keys)
        {
            if (options.MaxFailedChecksPerIp > 0)
            {
                counters.Add(new OtpGuardCounter(OtpGuardRules.FailedChecksPerIp, policy.Scope + "failed:" + keys.Address, options.MaxFailedChecksPerIp, options.FailedChecksWindow));
            }

            if (options.MaxFailedChecksPerPrefix > 0)
            {
                counters.Add(new OtpGuardCounter(OtpGuardRules.FailedChecksPerPrefix, policy.Scope + "failednet:" + keys.Prefix, options.MaxFailedChecksPerPrefix, options.FailedChecksWindow));
            }
        }

        OtpGuardRequest? taken = null;
        if (counters.Count > 0)
        {
            taken = new OtpGuardRequest(now, counters);
            var (decision, storeError, counted) = await AcquireAsync(taken, "verify", number, cancellationToken).ConfigureAwait(false);
            if (storeError is not null)
            {
                return OtpVerifyResult.Failure(storeError);
            }

            if (!decision.IsAllowed)
            {
                return OtpVerifyResult.Failure(Refuse(decision.RefusedBy!, "verify", number, decision.RetryAfter, decision.RefusedBy switch
                {
                    OtpGuardRules.VerifyAttempts => $"This challenge had {options.MaxVerifyAttempts} verify attempts, the most the app allows (SendGuard:MaxVerifyAttempts): send a new code.",
                    OtpGuardRules.FailedChecksPerIp => "Too many wrong codes were tried from this client IP (SendGuard:MaxFailedChecksPerIp): try again later.",
                    _ => "Too many wrong codes were tried from this client's network (SendGuard:MaxFailedChecksPerPrefix): try again later.",
                }));
            }

            if (!counted)
            {
                taken = null;
            }
        }

        var result = await inner.VerifyAsync(request, cancellationToken).ConfigureAwait(false);
        if (taken is not null && SendGuardPolicy.NothingWasDone(result.Error))
        {
            await GiveBackAsync(taken, "verify", keepIp: false).ConfigureAwait(false); // the provider checked no code
        }
        else if (taken is not null && result.IsVerified && taken.Counters.Any(static c => c.Rule is OtpGuardRules.FailedChecksPerIp or OtpGuardRules.FailedChecksPerPrefix))
        {
            // A right code is not a failed check: the IP's and network's budgets count only the checks that failed.
            await GiveBackAsync(taken with { Counters = [.. taken.Counters.Where(static c => c.Rule is OtpGuardRules.FailedChecksPerIp or OtpGuardRules.FailedChecksPerPrefix)] }, "verify", keepIp: false).ConfigureAwait(false);
        }

        if (result.IsVerified && options.Conversion.Enabled && ip is { } verifiedFrom)
        {
            try
            {
                foreach (var check in Conversions(verifiedFrom))
                {
                    await store.RecordAsync(check.VerifiedKey, options.Conversion.Window, timeProvider.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.GuardStoreFailed(logger, "verify", "the verification was not counted for the conversion guard", ex.GetType().Name);
            }
        }

        return result;
    }

    /// <summary>The conversion checks of a client: its own address's and its network's.</summary>
    private OtpGuardConversionCheck[] Conversions(OtpIpKeys ip)
    {
        var conversion = policy.Options.Conversion;
        var scope = policy.Scope;
        return
        [
            new(scope + "sent:ip:" + ip.Address, scope + "verified:ip:" + ip.Address, conversion.Window, conversion.GracePeriod, conversion.MinSends, conversion.MaxUnverifiedRatio),
            new(scope + "sent:net:" + ip.Prefix, scope + "verified:net:" + ip.Prefix, conversion.Window, conversion.GracePeriod, conversion.MinSends, conversion.MaxUnverifiedRatio),
        ];
    }

    /// <summary>
    /// A send or verify the provider surely did not accept (an outage, an open circuit, its throttling) sent, billed and
    /// checked nothing: it gives back the cooldown, number, region, hourly and verify-attempt counts and its conversion
    /// send, so a user who retried through an outage is not locked out after it, and an outage does not read as
    /// unverified sends. The IP budgets (the address, and an IPv6 address's /56 and /48) keep the count of a send: a client
    /// hammering during an outage is still throttled. A verify gives back all it took.
    /// </summary>
    private async ValueTask GiveBackAsync(OtpGuardRequest taken, string operation, bool keepIp = true)
    {
        var counters = taken.Counters.Where(c => c.Member is null && !(keepIp && c.Rule is OtpGuardRules.Ip or OtpGuardRules.Ipv6Prefix56 or OtpGuardRules.Ipv6Prefix48)).ToList();
        try
        {
            await store.ReleaseAsync(taken with { Counters = counters }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.GuardStoreFailed(logger, operation, $"the counts of a {operation} the provider did not accept were kept", ex.GetType().Name);
        }
    }

    /// <summary>Takes the counters; <c>Counted</c> is <see langword="false"/> when the store failed and the guard failed open.</summary>
    private async ValueTask<(OtpGuardDecision Decision, OtpError? StoreError, bool Counted)> AcquireAsync(OtpGuardRequest request, string operation, PhoneNumber? number, CancellationToken cancellationToken)
    {
        try
        {
            return (await store.TryAcquireAsync(request, cancellationToken).ConfigureAwait(false), null, true);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            if (policy.Options.OnStoreFailure == OtpGuardFailureMode.FailOpen)
            {
                Log.GuardStoreFailed(logger, operation, $"the {operation} went through unguarded (SendGuard:OnStoreFailure is FailOpen)", ex.GetType().Name);
                return (OtpGuardDecision.Allowed, null, false);
            }

            Log.GuardStoreFailed(logger, operation, $"the {operation} was refused (SendGuard:OnStoreFailure is FailClosed)", ex.GetType().Name);
            OtpTelemetry.RecordGuardRefusal(OtpGuardRules.StoreUnavailable, operation);
            return (default, new OtpError(OtpErrorCode.ProviderUnavailable, $"The send guard's store could not be reached, so the {operation} was refused before any provider was called. Trying again later may succeed.")
            {
                ProviderCode = OtpGuardRules.StoreUnavailable,
                IsTransient = true,
            }, false);
        }
    }

    private OtpError Refuse(string rule, string operation, PhoneNumber? number, TimeSpan? retryAfter, string message)
    {
        OtpTelemetry.RecordGuardRefusal(rule, operation);
        if (logger.IsEnabled(LogLevel.Information))
        {
            Log.GuardRefused(logger, operation, rule, number?.Masked ?? "-", retryAfter?.TotalSeconds ?? 0);
        }

        var blocked = rule is OtpGuardRules.BlockedNumber or OtpGuardRules.BlockedRegion or OtpGuardRules.BlockedNumberType;
        return new OtpError(blocked ? OtpErrorCode.Blocked : OtpErrorCode.RateLimited, message)
        {
            ProviderCode = rule,
            IsTransient = !blocked,
            RetryAfter = retryAfter,
        };
    }

    private static string Explain(string rule, string? region) => rule switch
    {
        OtpGuardRules.Cooldown => "A code was sent to this number moments ago (SendGuard:Cooldown): wait before sending another.",
        OtpGuardRules.Number => "Too many codes were sent to this number (SendGuard:MaxSendsPerNumber): try again later.",
        OtpGuardRules.Ip => "Too many codes were requested from this client IP (SendGuard:MaxSendsPerIp): try again later.",
        OtpGuardRules.RegionsPerIp => "This client IP requested codes for too many countries (SendGuard:MaxRegionsPerIp): try again later.",
        OtpGuardRules.Region => $"Too many codes were sent to numbers of region {region ?? "unknown"} (SendGuard:MaxSendsPerRegion): try again later.",
        OtpGuardRules.Global => "The app sent as many codes this hour as it allows (SendGuard:MaxSendsPerHour): try again later.",
        OtpGuardRules.Ipv6Prefix56 => "Too many codes were requested from this client's IPv6 /56 (SendGuard:MaxSendsPerIpv6Prefix56): try again later.",
        OtpGuardRules.Ipv6Prefix48 => "Too many codes were requested from this client's IPv6 /48 (SendGuard:MaxSendsPerIpv6Prefix48): try again later.",
        OtpGuardRules.Conversion => "Sends requested from this client IP or its network are throttled: most of its recent codes were never verified (SendGuard:Conversion). Try again later.",
        _ => $"Refused by the send guard ({rule}): try again later.",
    };
}
