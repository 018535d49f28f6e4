namespace OtpClients.Delivery;

/// <summary>The default <see cref="IOtpDeliveryHealthStore"/>: the figures in this process's memory, for one app instance.</summary>
internal sealed class InMemoryOtpDeliveryHealthStore(TimeProvider timeProvider) : IOtpDeliveryHealthStore
{
    /// <summary>The most series kept (registrations × providers × regions): far more than any route can have.</summary>
    public const int MaxSeries = 10_000;

    /// <summary>The most client networks counted at once (<see cref="TryAddNetworkAsync"/>); past it, new networks do not count until old ones expire.</summary>
    public const int MaxNetworks = 100_000;

    private readonly Lock gate = new();
    private readonly Dictionary<OtpDeliverySeries, Series> series = [];
    private readonly Dictionary<(OtpDeliverySeries Series, string Network), (long Count, DateTimeOffset ExpiresAt)> networks = [];

    public ValueTask AddAsync(OtpDeliverySeries series, long bucket, OtpDeliveryOutcome outcome, TimeSpan retention, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        cancellationToken.ThrowIfCancellationRequested();
        var now = timeProvider.GetUtcNow();
        lock (gate)
        {
            if (!this.series.TryGetValue(series, out var entry))
            {
                Sweep(now);
                if (this.series.Count >= MaxSeries)
                {
                    throw new InvalidOperationException($"The in-memory delivery health store holds {MaxSeries} series, its bound.");
                }

                entry = new Series();
                this.series[series] = entry;
            }

            entry.ExpiresAt = now + retention;
            ref var counts = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(entry.Buckets, bucket, out _);
            switch (outcome)
            {
                case OtpDeliveryOutcome.Sent:
                    counts.Sends++;
                    break;
                case OtpDeliveryOutcome.Verified:
                    counts.Verified++;
                    break;
                default:
                    counts.Resent++;
                    break;
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> TryAddNetworkAsync(OtpDeliverySeries series, string network, int limit, TimeSpan window, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(network);
        cancellationToken.ThrowIfCancellationRequested();
        var now = timeProvider.GetUtcNow();
        lock (gate)
        {
            var key = (series, network);
            if (!networks.TryGetValue(key, out var entry) || entry.ExpiresAt <= now)
            {
                if (networks.Count >= MaxNetworks)
                {
                    foreach (var (old, value) in networks)
                    {
                        if (value.ExpiresAt <= now)
                        {
                            networks.Remove(old);
                        }
                    }

                    if (networks.Count >= MaxNetworks)
                    {
                        return ValueTask.FromResult(false); // full of live networks: a new one does not count
                    }
                }

                entry = (0, now + window);
            }

            entry.Count++;
            networks[key] = entry;
            return ValueTask.FromResult(entry.Count <= limit);
        }
    }

    public ValueTask<IReadOnlyList<IReadOnlyList<OtpDeliveryBucket>>> ReadAsync(IReadOnlyList<OtpDeliverySeries> series, long oldestBucket, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        cancellationToken.ThrowIfCancellationRequested();
        var result = new IReadOnlyList<OtpDeliveryBucket>[series.Count];
        lock (gate)
        {
            for (var i = 0; i < series.Count; i++)
            {
                if (!this.series.TryGetValue(series[i], out var entry))
                {
                    result[i] = [];
                    continue;
                }

                var buckets = new List<OtpDeliveryBucket>(entry.Buckets.Count);
                List<long>? old = null;
                foreach (var (index, counts) in entry.Buckets)
                {
                    if (index < oldestBucket)
                    {
                        (old ??= []).Add(index);
                    }
                    else
                    {
                        buckets.Add(new OtpDeliveryBucket(index, counts.Sends, counts.Verified, counts.Resent));
                    }
                }

                old?.ForEach(index => entry.Buckets.Remove(index));
                result[i] = buckets;
            }
        }

        return ValueTask.FromResult<IReadOnlyList<IReadOnlyList<OtpDeliveryBucket>>>(result);
    }

    public ValueTask<IReadOnlyList<OtpDeliverySeries>> ListAsync(string scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        cancellationToken.ThrowIfCancellationRequested();
        var now = timeProvider.GetUtcNow();
        lock (gate)
        {
            Sweep(now);
            return ValueTask.FromResult<IReadOnlyList<OtpDeliverySeries>>([.. series.Keys.Where(s => s.Scope == scope).OrderBy(s => s.Provider, StringComparer.Ordinal).ThenBy(s => s.Region, StringComparer.Ordinal)]);
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, entry) in series)
        {
            if (entry.ExpiresAt <= now)
            {
                series.Remove(key);
            }
        }
    }

    private sealed class Series
    {
        public Dictionary<long, Counts> Buckets { get; } = [];

        public DateTimeOffset ExpiresAt { get; set; }
    }

    private struct Counts
    {
        public long Sends;
        public long Verified;
        public long Resent;
    }
}
