using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OtpClients.Diagnostics;

namespace OtpClients.Delivery;

/// <summary>
/// Delivery health of one registration: records what its sessions see (sends, verifications, resends), judges each
/// provider per region (<see cref="DeliveryHealthRule"/>), and orders routes by the verdicts. Never refuses, never
/// throws for its store: without the store, routes keep their configured order.
/// </summary>
internal sealed class OtpDeliveryHealthMonitor
{
    private readonly OtpDeliveryHealthOptions options;
    private readonly IOtpDeliveryHealthStore store;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly long bucketMs;
    private readonly long verifyWithinMs;
    private readonly long cacheMs;
    private readonly int probeEvery;
    private readonly ConcurrentDictionary<string, CachedVerdicts> cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Provider, string Region), bool> demoted = new();
    private readonly ConcurrentDictionary<(string Provider, string Region), StrongBox> probes = new();
    private int storeDown;

    public OtpDeliveryHealthMonitor(string? registration, OtpDeliveryHealthOptions options, IOtpDeliveryHealthStore store, TimeProvider timeProvider, ILogger logger)
    {
        Registration = registration;
        Scope = registration is null ? string.Empty : registration + "/";
        this.options = options;
        this.store = store;
        this.timeProvider = timeProvider;
        this.logger = logger;
        bucketMs = DeliveryHealthRule.BucketMilliseconds(options.Window);
        verifyWithinMs = (long)options.VerifyWithin.TotalMilliseconds;
        cacheMs = Math.Clamp(bucketMs / 2, 0, 1000);
        probeEvery = options.ProbeShare <= 0 ? 0 : (int)Math.Max(2, Math.Round(1 / options.ProbeShare));
    }

    /// <summary>Gets the registration's name (<see langword="null"/> for the default one).</summary>
    public string? Registration { get; }

    /// <summary>Gets the scope of the registration's series.</summary>
    public string Scope { get; }

    public OtpDeliveryHealthOptions Options => options;

    /// <summary>The region key of a number: its ISO region, or <c>001</c> for a number of no region.</summary>
    public static string RegionOf(PhoneNumber number) => number.RegionCode ?? "001";

    /// <summary>
    /// The series key of a number and channel: the region for SMS (<c>IT</c>), the region and the channel for the others
    /// (<c>IT/voice</c>), so that a provider's calls and texts are judged apart (a call may reach where an SMS does not).
    /// </summary>
    public static string RegionOf(PhoneNumber number, OtpChannel channel) =>
        channel == OtpChannel.Sms ? RegionOf(number) : RegionOf(number) + "/" + Diagnostics.OtpTelemetry.ChannelName(channel);

    /// <summary>
    /// Orders a route for a send. A new session (no <paramref name="alreadySent"/>): providers not demoted for the
    /// region first, in the route's order, then the demoted ones, except that every so often a demoted provider keeps its
    /// place (a probe). A resend: the providers that have not sent for the session first (not demoted before demoted),
    /// then those that have, the one that sent longest ago first.
    /// </summary>
    public async ValueTask<IOtpClient[]> OrderAsync(IOtpClient[] route, string region, IReadOnlyList<string>? alreadySent, CancellationToken cancellationToken)
    {
        if (route.Length < 2)
        {
            return route;
        }

        var verdicts = await JudgeRouteAsync(route, region, cancellationToken).ConfigureAwait(false);
        if (alreadySent is null)
        {
            if (verdicts is null || !verdicts.Any(v => v))
            {
                return route;
            }

            var ordered = new List<IOtpClient>(route.Length);
            var later = new List<IOtpClient>();
            for (var i = 0; i < route.Length; i++)
            {
                if (!verdicts[i] || IsProbe(route[i].ProviderName, region))
                {
                    ordered.Add(route[i]);
                }
                else
                {
                    later.Add(route[i]);
                }
            }

            ordered.AddRange(later);
            return [.. ordered];
        }

        var fresh = new List<(IOtpClient Client, bool Demoted)>();
        for (var i = 0; i < route.Length; i++)
        {
            if (!alreadySent.Contains(route[i].ProviderName, StringComparer.Ordinal))
            {
                fresh.Add((route[i], verdicts?[i] ?? false));
            }
        }

        var used = alreadySent
            .Select(name => Array.Find(route, c => string.Equals(c.ProviderName, name, StringComparison.Ordinal)))
            .Where(c => c is not null)
            .Distinct()
            .Select(c => c!);
        return [.. fresh.Where(f => !f.Demoted).Select(f => f.Client), .. fresh.Where(f => f.Demoted).Select(f => f.Client), .. used];
    }

    /// <summary>
    /// Tells whether a session's send counts as evidence: always without a client network, otherwise while its network
    /// has added at most <see cref="OtpDeliveryHealthOptions.MaxSendsPerNetwork"/> sessions to the series in the window.
    /// Without its store, a send does not count (the figures are not reachable anyway).
    /// </summary>
    public async ValueTask<bool> CountsAsync(string provider, string region, string? network)
    {
        if (network is null)
        {
            return true;
        }

        try
        {
            var counts = await store.TryAddNetworkAsync(new OtpDeliverySeries(Scope, provider, region), network, options.MaxSendsPerNetwork, options.Window, CancellationToken.None).ConfigureAwait(false);
            StoreUp();
            return counts;
        }
        catch (Exception ex)
        {
            StoreFailed(ex);
            return false;
        }
    }

    /// <summary>Records a session's send, or an outcome of an earlier send (by the time that send was made).</summary>
    public async ValueTask RecordAsync(string provider, string region, DateTimeOffset sentAt, OtpDeliveryOutcome outcome, bool resend = false)
    {
        var now = timeProvider.GetUtcNow();
        if (outcome == OtpDeliveryOutcome.Verified && now - sentAt > options.VerifyWithin)
        {
            return; // too late to count for the provider: the send has counted against it already
        }

        var bucket = sentAt.ToUnixTimeMilliseconds() / bucketMs;
        if (bucket < OldestBucket(now) || bucket > now.ToUnixTimeMilliseconds() / bucketMs)
        {
            return;
        }

        OtpTelemetry.RecordDelivery(provider, region, outcome, resend);
        try
        {
            await store.AddAsync(new OtpDeliverySeries(Scope, provider, region), bucket, outcome, options.Window + TimeSpan.FromMilliseconds(bucketMs), CancellationToken.None).ConfigureAwait(false);
            StoreUp();
        }
        catch (Exception ex)
        {
            StoreFailed(ex);
        }
    }

    /// <summary>Reads the figures of every series of the registration and judges each against the others of its region.</summary>
    public async Task<IReadOnlyList<OtpDeliveryHealthReport>> GetReportsAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var series = await store.ListAsync(Scope, cancellationToken).ConfigureAwait(false);
        if (series.Count == 0)
        {
            return [];
        }

        var buckets = await store.ReadAsync(series, OldestBucket(now), cancellationToken).ConfigureAwait(false);
        var figures = series.Select((s, i) => Summarize(buckets[i], now)).ToArray();
        var reports = new List<OtpDeliveryHealthReport>(series.Count);
        for (var i = 0; i < series.Count; i++)
        {
            long otherOutcomes = 0, otherSuccesses = 0;
            for (var j = 0; j < series.Count; j++)
            {
                if (j != i && series[j].Region == series[i].Region)
                {
                    otherOutcomes += figures[j].Outcomes;
                    otherSuccesses += figures[j].Successes;
                }
            }

            var verdict = DeliveryHealthRule.Judge(figures[i], otherOutcomes, otherSuccesses, options.MinSends, options.DemotionRatio);
            reports.Add(new OtpDeliveryHealthReport(Registration, series[i].Provider, series[i].Region, figures[i], verdict, options.Window));
        }

        return reports;
    }

    /// <summary>The verdict for each provider of a route (demoted or not), cached briefly; <see langword="null"/> when the store failed.</summary>
    private async ValueTask<bool[]?> JudgeRouteAsync(IOtpClient[] route, string region, CancellationToken cancellationToken)
    {
        var nowMs = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var key = region + "|" + string.Join("|", route.Select(c => c.ProviderName));
        if (cache.TryGetValue(key, out var cached) && nowMs - cached.AtMs <= cacheMs && nowMs >= cached.AtMs)
        {
            return cached.Demoted;
        }

        IReadOnlyList<IReadOnlyList<OtpDeliveryBucket>> buckets;
        var now = timeProvider.GetUtcNow();
        try
        {
            buckets = await store.ReadAsync([.. route.Select(c => new OtpDeliverySeries(Scope, c.ProviderName, region))], OldestBucket(now), cancellationToken).ConfigureAwait(false);
            StoreUp();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            StoreFailed(ex);
            return null;
        }

        var figures = buckets.Select(b => Summarize(b, now)).ToArray();
        var result = new bool[route.Length];
        for (var i = 0; i < route.Length; i++)
        {
            long otherOutcomes = 0, otherSuccesses = 0;
            for (var j = 0; j < route.Length; j++)
            {
                if (j != i)
                {
                    otherOutcomes += figures[j].Outcomes;
                    otherSuccesses += figures[j].Successes;
                }
            }

            var verdict = DeliveryHealthRule.Judge(figures[i], otherOutcomes, otherSuccesses, options.MinSends, options.DemotionRatio);
            result[i] = verdict.IsDemoted;
            Observe(route[i].ProviderName, region, figures[i], verdict);
        }

        cache[key] = new CachedVerdicts(nowMs, result);
        return result;
    }

    /// <summary>Logs and counts a change of a series' state, as this instance sees it.</summary>
    private void Observe(string provider, string region, DeliveryFigures figures, DeliveryVerdict verdict)
    {
        var was = demoted.TryGetValue((provider, region), out var before) && before;
        var changed = was != verdict.IsDemoted;
        if (changed)
        {
            demoted[(provider, region)] = verdict.IsDemoted;
            if (verdict.IsDemoted)
            {
                Log.ProviderDemoted(logger, provider, region, figures.RecentSuccesses, figures.RecentOutcomes, verdict.Baseline ?? 0);
            }
            else
            {
                Log.ProviderRestored(logger, provider, region, figures.RecentSuccesses, figures.RecentOutcomes);
            }
        }

        OtpTelemetry.RecordDeliveryVerdict(provider, region, figures.RecentConversion, verdict.IsDemoted, changed);
    }

    private bool IsProbe(string provider, string region)
    {
        if (probeEvery == 0)
        {
            return false;
        }

        var counter = probes.GetOrAdd((provider, region), static _ => new StrongBox());
        return Interlocked.Increment(ref counter.Value) % probeEvery == 0;
    }

    private DeliveryFigures Summarize(IReadOnlyList<OtpDeliveryBucket> buckets, DateTimeOffset now) =>
        DeliveryHealthRule.Summarize(buckets, bucketMs, now.ToUnixTimeMilliseconds(), verifyWithinMs, OldestBucket(now), options.MinSends);

    private long OldestBucket(DateTimeOffset now) => ((now.ToUnixTimeMilliseconds() - (long)options.Window.TotalMilliseconds) / bucketMs) + 1;

    private void StoreFailed(Exception ex)
    {
        if (Interlocked.Exchange(ref storeDown, 1) == 0)
        {
            Log.DeliveryStoreFailed(logger, ex.GetType().Name);
        }
    }

    private void StoreUp()
    {
        if (Volatile.Read(ref storeDown) == 1 && Interlocked.Exchange(ref storeDown, 0) == 1)
        {
            Log.DeliveryStoreRecovered(logger);
        }
    }

    private sealed record CachedVerdicts(long AtMs, bool[] Demoted);

    private sealed class StrongBox
    {
        public long Value;
    }
}
