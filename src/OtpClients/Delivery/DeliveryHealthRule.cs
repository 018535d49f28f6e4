namespace OtpClients.Delivery;

/// <summary>
/// The figures of one series, summarized from its buckets (the maths of <c>docs/delivery-health.md</c>).
/// </summary>
/// <param name="Sends">Sends in the window.</param>
/// <param name="Verified">Of those, verified in time.</param>
/// <param name="Resent">Of those, sent again at the user's request.</param>
/// <param name="Outcomes">Sends whose outcome is known: all of a matured bucket, the verified or resent ones of a younger bucket.</param>
/// <param name="Successes">Of the outcomes, the verified ones.</param>
/// <param name="RecentOutcomes">The outcomes of the newest buckets that together hold at least <c>MinSends</c> (all of them when fewer).</param>
/// <param name="RecentSuccesses">Of those, the verified ones.</param>
internal readonly record struct DeliveryFigures(long Sends, long Verified, long Resent, long Outcomes, long Successes, long RecentOutcomes, long RecentSuccesses)
{
    /// <summary>Gets the outcomes older than the recent sample: the series' own history.</summary>
    public long HistoryOutcomes => Outcomes - RecentOutcomes;

    /// <summary>Gets the successes older than the recent sample.</summary>
    public long HistorySuccesses => Successes - RecentSuccesses;

    /// <summary>Gets the conversion of the recent sample; <see langword="null"/> without outcomes.</summary>
    public double? RecentConversion => RecentOutcomes == 0 ? null : (double)RecentSuccesses / RecentOutcomes;

    /// <summary>Gets the conversion of every outcome in the window; <see langword="null"/> without outcomes.</summary>
    public double? Conversion => Outcomes == 0 ? null : (double)Successes / Outcomes;
}

/// <summary>The verdict on one series.</summary>
/// <param name="IsDemoted">Whether the provider goes after the others of the route for new sessions.</param>
/// <param name="Baseline">The conversion it is compared with; <see langword="null"/> when nothing to compare with has enough outcomes.</param>
/// <param name="UpperBound">The upper 95 % bound of its recent conversion; <see langword="null"/> without enough outcomes.</param>
internal readonly record struct DeliveryVerdict(bool IsDemoted, double? Baseline, double? UpperBound);

/// <summary>The rule of delivery health, as pure functions of the figures.</summary>
internal static class DeliveryHealthRule
{
    /// <summary>The number of buckets a window is cut into.</summary>
    public const int BucketsPerWindow = 60;

    /// <summary>The normal quantile of a one-sided 95 % bound.</summary>
    private const double Z = 1.6448536269514722;

    /// <summary>The length of a bucket: the window cut into <see cref="BucketsPerWindow"/>, at least 1 ms.</summary>
    public static long BucketMilliseconds(TimeSpan window) => Math.Max(1, (long)window.TotalMilliseconds / BucketsPerWindow);

    /// <summary>
    /// Summarizes a series' buckets at <paramref name="nowMs"/>. A bucket whose every send is older than
    /// <paramref name="verifyWithinMs"/> is matured: each of its sends is an outcome, verified or not. A younger bucket
    /// counts only the outcomes known already (verified, or resent). Outcomes are capped by sends, successes by outcomes.
    /// Buckets outside the window (older than <paramref name="oldestBucket"/>, or newer than the bucket of
    /// <paramref name="nowMs"/>) are ignored, whatever the store returned.
    /// </summary>
    public static DeliveryFigures Summarize(IEnumerable<OtpDeliveryBucket> buckets, long bucketMs, long nowMs, long verifyWithinMs, long oldestBucket, int minSends)
    {
        long sends = 0, verified = 0, resent = 0, outcomes = 0, successes = 0, recentOutcomes = 0, recentSuccesses = 0;
        var recentDone = false;
        // Only the window: nothing older than its oldest bucket, and nothing newer than now. A bucket "in the future" (a
        // value written into a shared store by someone else) would never mature, lead every recent sample and keep a
        // provider demoted for as long as it stays.
        var newestBucket = nowMs / bucketMs;
        foreach (var bucket in buckets.Where(b => b.Index >= oldestBucket && b.Index <= newestBucket).OrderByDescending(b => b.Index))
        {
            var matured = ((bucket.Index + 1) * bucketMs) + verifyWithinMs <= nowMs;
            var s = Math.Max(0, bucket.Sends);
            var v = Math.Clamp(bucket.Verified, 0, s);
            var n = matured ? s : Math.Min(s, v + Math.Max(0, bucket.Resent));
            var k = Math.Min(v, n);
            sends += s;
            verified += v;
            resent += Math.Clamp(bucket.Resent, 0, s);
            outcomes += n;
            successes += k;
            if (!recentDone)
            {
                recentOutcomes += n;
                recentSuccesses += k;
                recentDone = recentOutcomes >= minSends;
            }
        }

        return new DeliveryFigures(sends, verified, resent, outcomes, successes, recentOutcomes, recentSuccesses);
    }

    /// <summary>The upper bound of a proportion's one-sided 95 % Wilson score interval.</summary>
    public static double UpperBound(long successes, long trials)
    {
        if (trials <= 0)
        {
            return 1;
        }

        var n = (double)trials;
        var p = Math.Clamp(successes / n, 0, 1);
        var z2 = Z * Z;
        var center = p + (z2 / (2 * n));
        var spread = Z * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n)));
        return Math.Min(1, (center + spread) / (1 + (z2 / n)));
    }

    /// <summary>
    /// Judges a series against its baseline: the better of its own history (outcomes older than the recent sample) and
    /// the other providers' conversion in the region, each counted only with at least <paramref name="minSends"/> outcomes.
    /// Demoted when the recent sample has <paramref name="minSends"/> outcomes and the upper bound of its conversion is
    /// below <paramref name="ratio"/> times the baseline.
    /// </summary>
    public static DeliveryVerdict Judge(DeliveryFigures own, long otherOutcomes, long otherSuccesses, int minSends, double ratio)
    {
        double? baseline = null;
        if (own.HistoryOutcomes >= minSends)
        {
            baseline = (double)own.HistorySuccesses / own.HistoryOutcomes;
        }

        if (otherOutcomes >= minSends)
        {
            var others = (double)otherSuccesses / otherOutcomes;
            baseline = baseline is { } b ? Math.Max(b, others) : others;
        }

        if (own.RecentOutcomes < minSends)
        {
            return new DeliveryVerdict(false, baseline, null);
        }

        var upper = UpperBound(own.RecentSuccesses, own.RecentOutcomes);
        return new DeliveryVerdict(baseline is { } against && upper < ratio * against, baseline, upper);
    }
}
