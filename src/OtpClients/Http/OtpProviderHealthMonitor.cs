using System.Collections.Concurrent;

namespace OtpClients.Http;

/// <summary>One provider client to report on, registered by <c>AddProvider</c>.</summary>
/// <param name="Registration">The registration's name (null: the default one).</param>
/// <param name="ProviderName">The provider's name.</param>
/// <param name="ClientName">The provider's <see cref="HttpClient"/> name (also its options' name).</param>
/// <param name="Options">Reads the provider's current options.</param>
internal sealed record OtpProviderHealthEntry(string? Registration, string ProviderName, string ClientName, Func<IServiceProvider, OtpProviderOptions> Options);

/// <summary>Keeps a <see cref="ProviderHealthTracker"/> per provider client; the pipelines feed them.</summary>
internal sealed class OtpProviderHealthMonitor : IOtpProviderHealth
{
    private readonly ConcurrentDictionary<string, ProviderHealthTracker> trackers = new(StringComparer.Ordinal);
    private readonly OtpProviderHealthEntry[] entries;
    private readonly IServiceProvider services;
    private readonly TimeProvider timeProvider;

    public OtpProviderHealthMonitor(IEnumerable<OtpProviderHealthEntry> entries, IServiceProvider services, TimeProvider timeProvider)
    {
        this.entries = [.. entries];
        this.services = services;
        this.timeProvider = timeProvider;
    }

    /// <summary>Gets the tracker of a provider client, created on first use from its options.</summary>
    public ProviderHealthTracker Get(string clientName, OtpCircuitBreakerOptions breaker) =>
        trackers.GetOrAdd(clientName, static (_, state) => new ProviderHealthTracker(state.timeProvider, state.breaker), (timeProvider, breaker));

    public IReadOnlyList<OtpProviderHealthReport> GetReports()
    {
        var reports = new List<OtpProviderHealthReport>(entries.Length);
        foreach (var entry in entries)
        {
            var tracker = trackers.TryGetValue(entry.ClientName, out var existing)
                ? existing
                : Get(entry.ClientName, entry.Options(services).CircuitBreaker);
            reports.Add(tracker.Report(entry.Registration, entry.ProviderName));
        }

        return reports;
    }
}

/// <summary>
/// The circuit state (from the breaker's events) and a sliding count of attempts and failures (ten buckets over the
/// breaker's sampling duration) of one provider client.
/// </summary>
internal sealed class ProviderHealthTracker
{
    private const int BucketCount = 10;
    private readonly TimeProvider timeProvider;
    private readonly Lock gate = new();
    private readonly long[] bucketIds = new long[BucketCount];
    private readonly int[] calls = new int[BucketCount];
    private readonly int[] failures = new int[BucketCount];
    private long bucketTicks;
    private TimeSpan window;
    private OtpCircuitState state;
    private DateTimeOffset openUntil;

    public ProviderHealthTracker(TimeProvider timeProvider, OtpCircuitBreakerOptions breaker)
    {
        this.timeProvider = timeProvider;
        Reset(breaker);
    }

    /// <summary>A new pipeline was built (first use, or options reloaded): a new breaker, closed.</summary>
    public void Reset(OtpCircuitBreakerOptions breaker)
    {
        lock (gate)
        {
            window = breaker.SamplingDuration;
            bucketTicks = Math.Max(1, window.Ticks / BucketCount);
            state = breaker.Enabled ? OtpCircuitState.Closed : OtpCircuitState.Disabled;
            Array.Clear(bucketIds);
            Array.Clear(calls);
            Array.Clear(failures);
        }
    }

    public void Record(bool failed)
    {
        var id = timeProvider.GetUtcNow().UtcTicks / bucketTicks;
        lock (gate)
        {
            var i = (int)(id % BucketCount);
            if (bucketIds[i] != id)
            {
                bucketIds[i] = id;
                calls[i] = 0;
                failures[i] = 0;
            }

            calls[i]++;
            if (failed)
            {
                failures[i]++;
            }
        }
    }

    public void Opened(TimeSpan breakDuration)
    {
        lock (gate)
        {
            state = OtpCircuitState.Open;
            openUntil = timeProvider.GetUtcNow() + breakDuration;
        }
    }

    public void HalfOpened()
    {
        lock (gate)
        {
            state = OtpCircuitState.HalfOpen;
        }
    }

    public void Closed()
    {
        lock (gate)
        {
            state = OtpCircuitState.Closed;
        }
    }

    public OtpProviderHealthReport Report(string? registration, string providerName)
    {
        var now = timeProvider.GetUtcNow();
        var current = now.UtcTicks / bucketTicks;
        int totalCalls = 0, totalFailures = 0;
        lock (gate)
        {
            for (var i = 0; i < BucketCount; i++)
            {
                if (bucketIds[i] > current - BucketCount && bucketIds[i] <= current)
                {
                    totalCalls += calls[i];
                    totalFailures += failures[i];
                }
            }

            // Polly moves an open circuit to half-open on the first call after the break: report it as it will be.
            var reported = state == OtpCircuitState.Open && now >= openUntil ? OtpCircuitState.HalfOpen : state;
            return new OtpProviderHealthReport(
                registration,
                providerName,
                reported,
                reported == OtpCircuitState.Open ? openUntil : null,
                totalCalls,
                totalFailures,
                window);
        }
    }
}
