namespace OtpClients.Guard;

/// <summary>
/// The default <see cref="IOtpGuardStore"/>: sliding windows in this process's memory, for one app instance. Bounded:
/// expired counters are swept as it goes, and past <see cref="MaxKeys"/> live counters it throws, which the guard treats
/// as an unreachable store (fail closed by default) rather than forgetting budgets.
/// </summary>
internal sealed class InMemoryOtpGuardStore : IOtpGuardStore
{
    /// <summary>The most live counters kept.</summary>
    public const int MaxKeys = 100_000;

    private const int SweepEvery = 1024;

    private readonly Lock gate = new();
    private readonly Dictionary<string, Series> series = new(StringComparer.Ordinal);
    private int operations;

    /// <summary>Gets how many counters are live (for tests).</summary>
    internal int Count
    {
        get
        {
            lock (gate)
            {
                return series.Count;
            }
        }
    }

    public ValueTask<OtpGuardDecision> TryAcquireAsync(OtpGuardRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var now = request.Now.UtcTicks;
        lock (gate)
        {
            Maintain(now, request.Counters.Count + (request.Conversions?.Count ?? 0));
            foreach (var counter in request.Counters)
            {
                if (Check(counter, now) is { } refused)
                {
                    return new(refused);
                }
            }

            foreach (var conversion in request.Conversions ?? [])
            {
                if (CheckConversion(conversion, now) is { } throttled)
                {
                    return new(throttled);
                }
            }

            foreach (var counter in request.Counters)
            {
                var entry = GetOrAdd(counter.Key);
                if (counter.Member is null)
                {
                    entry.Add(now);
                }
                else
                {
                    (entry.Members ??= new(StringComparer.Ordinal))[counter.Member] = now;
                }

                entry.Extend(now + counter.Window.Ticks);
            }

            foreach (var sends in request.Conversions ?? [])
            {
                var entry = GetOrAdd(sends.SendsKey);
                entry.Add(now);
                entry.Extend(now + sends.Window.Ticks);
            }
        }

        return new(OtpGuardDecision.Allowed);
    }

    public ValueTask ReleaseAsync(OtpGuardRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var now = request.Now.UtcTicks;
        lock (gate)
        {
            foreach (var counter in request.Counters)
            {
                if (counter.Member is null && series.TryGetValue(counter.Key, out var entry))
                {
                    entry.Remove(now);
                }
            }

            foreach (var conversion in request.Conversions ?? [])
            {
                if (series.TryGetValue(conversion.SendsKey, out var sends))
                {
                    sends.Remove(now);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask RecordAsync(string key, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        var ticks = now.UtcTicks;
        lock (gate)
        {
            Maintain(ticks, 1);
            var entry = GetOrAdd(key);
            entry.Prune(ticks - window.Ticks);
            entry.Add(ticks);
            entry.Extend(ticks + window.Ticks);
        }

        return ValueTask.CompletedTask;
    }

    private OtpGuardDecision? Check(OtpGuardCounter counter, long now)
    {
        if (!series.TryGetValue(counter.Key, out var entry))
        {
            return counter.Limit > 0 ? null : OtpGuardDecision.Refused(counter.Rule, counter.Window);
        }

        var cutoff = now - counter.Window.Ticks;
        entry.Prune(cutoff);
        if (counter.Member is not null)
        {
            var members = entry.Members;
            if (members is null || members.Count < counter.Limit || members.ContainsKey(counter.Member))
            {
                return null;
            }

            // Room appears when enough members leave: the (count - limit + 1)th oldest.
            var times = members.Values.Order().ToArray();
            return OtpGuardDecision.Refused(counter.Rule, RetryAfter(times[members.Count - counter.Limit] + counter.Window.Ticks, now));
        }

        var count = entry.Times.Count;
        return count < counter.Limit
            ? null
            : OtpGuardDecision.Refused(counter.Rule, RetryAfter(entry.Times[count - counter.Limit] + counter.Window.Ticks, now));
    }

    private OtpGuardDecision? CheckConversion(OtpGuardConversionCheck check, long now)
    {
        if (!series.TryGetValue(check.SendsKey, out var sends))
        {
            return null;
        }

        var cutoff = now - check.Window.Ticks;
        sends.Prune(cutoff);
        var counted = sends.CountUpTo(now - check.GracePeriod.Ticks);
        if (counted < check.MinSends || counted == 0)
        {
            return null;
        }

        var verified = 0;
        if (series.TryGetValue(check.VerifiedKey, out var verifications))
        {
            verifications.Prune(cutoff);
            verified = verifications.Times.Count;
        }

        var unverified = counted - Math.Min(verified, counted);
        return unverified > check.MaxUnverifiedRatio * counted
            ? OtpGuardDecision.Refused(OtpGuardRules.Conversion, RetryAfter(sends.Times[0] + check.Window.Ticks, now))
            : null;
    }

    private static TimeSpan RetryAfter(long freeAt, long now) => TimeSpan.FromTicks(Math.Max(freeAt - now, TimeSpan.TicksPerSecond));

    private Series GetOrAdd(string key)
    {
        if (!series.TryGetValue(key, out var entry))
        {
            entry = new Series();
            series[key] = entry;
        }

        return entry;
    }

    /// <summary>Sweeps expired counters every so often, and before the store would grow past <see cref="MaxKeys"/>.</summary>
    private void Maintain(long now, int adding)
    {
        if (++operations % SweepEvery != 0 && series.Count + adding <= MaxKeys)
        {
            return;
        }

        foreach (var (key, entry) in series)
        {
            if (entry.ExpiresAt <= now)
            {
                series.Remove(key);
            }
        }

        if (series.Count + adding > MaxKeys)
        {
            throw new InvalidOperationException($"The in-memory send guard store holds {MaxKeys} live counters, its bound: use a shared store (OtpClients.Redis) or tighter windows.");
        }
    }

    private sealed class Series
    {
        public List<long> Times { get; } = [];

        public Dictionary<string, long>? Members { get; set; }

        public long ExpiresAt { get; private set; }

        public void Add(long time)
        {
            var times = Times;
            if (times.Count == 0 || times[^1] <= time)
            {
                times.Add(time);
                return;
            }

            var index = times.BinarySearch(time);
            times.Insert(index < 0 ? ~index : index, time);
        }

        /// <summary>Removes one event at exactly <paramref name="time"/>, if there is one.</summary>
        public void Remove(long time)
        {
            var index = FirstAfter(time) - 1;
            if (index >= 0 && Times[index] == time)
            {
                Times.RemoveAt(index);
            }
        }

        public void Extend(long expiresAt) => ExpiresAt = Math.Max(ExpiresAt, expiresAt);

        /// <summary>Drops the events at or before <paramref name="cutoff"/>.</summary>
        public void Prune(long cutoff)
        {
            var remove = FirstAfter(cutoff);
            if (remove > 0)
            {
                Times.RemoveRange(0, remove);
            }

            if (Members is { Count: > 0 } members)
            {
                foreach (var (member, time) in members)
                {
                    if (time <= cutoff)
                    {
                        members.Remove(member);
                    }
                }
            }
        }

        /// <summary>Counts the events at or before <paramref name="time"/>.</summary>
        public int CountUpTo(long time) => FirstAfter(time);

        /// <summary>The index of the first event after <paramref name="time"/> (the events are in order).</summary>
        private int FirstAfter(long time)
        {
            int low = 0, high = Times.Count;
            while (low < high)
            {
                var middle = (low + high) >>> 1;
                if (Times[middle] <= time)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            return low;
        }
    }
}
