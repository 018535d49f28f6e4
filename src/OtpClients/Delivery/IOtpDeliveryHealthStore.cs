namespace OtpClients.Delivery;

/// <summary>
/// Where delivery health keeps its figures: in memory by default (one app instance), or shared by many instances
/// (<c>OtpClients.Redis</c>). Figures are counters in time buckets, per series (registration, provider, region).
/// </summary>
/// <remarks>
/// The figures name providers and regions, never a number, an IP or a session (a shared store keeps client networks only
/// as keyed hashes, for <see cref="TryAddNetworkAsync"/>). A store throws when it cannot be
/// reached; delivery health then routes by the configured order (it never refuses a send for it) and logs once.
/// </remarks>
public interface IOtpDeliveryHealthStore
{
    /// <summary>Adds one outcome to a series' bucket.</summary>
    /// <param name="series">The series.</param>
    /// <param name="bucket">The bucket of the send the outcome is about (its time divided by the bucket length).</param>
    /// <param name="outcome">What happened.</param>
    /// <param name="retention">How long the series must be kept after this addition.</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>A task that completes when the outcome is recorded (or handed to the store's connection).</returns>
    ValueTask AddAsync(OtpDeliverySeries series, long bucket, OtpDeliveryOutcome outcome, TimeSpan retention, CancellationToken cancellationToken = default);

    /// <summary>
    /// Counts one session of a client network toward a series, and tells whether it is within <paramref name="limit"/>
    /// sessions of that network in the window: what bounds how much one network (one client, or a bot's few addresses)
    /// can weigh in a provider's figures. The count runs for <paramref name="window"/> from the network's first session.
    /// </summary>
    /// <param name="series">The series.</param>
    /// <param name="network">The client network (an IPv4 /24 or IPv6 /48, as the send guard reckons them). A shared store keeps only a keyed hash of it.</param>
    /// <param name="limit">The most sessions of the network that count.</param>
    /// <param name="window">How long a network's count lasts.</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns><see langword="true"/> when this session counts (the network's count, this one included, is at most <paramref name="limit"/>).</returns>
    ValueTask<bool> TryAddNetworkAsync(OtpDeliverySeries series, string network, int limit, TimeSpan window, CancellationToken cancellationToken = default);

    /// <summary>Reads several series at once (one round trip for a shared store), and forgets their buckets older than <paramref name="oldestBucket"/>.</summary>
    /// <param name="series">The series to read.</param>
    /// <param name="oldestBucket">The oldest bucket wanted.</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>For each series, in order, its buckets from <paramref name="oldestBucket"/> on (any order; empty when none).</returns>
    ValueTask<IReadOnlyList<IReadOnlyList<OtpDeliveryBucket>>> ReadAsync(IReadOnlyList<OtpDeliverySeries> series, long oldestBucket, CancellationToken cancellationToken = default);

    /// <summary>Lists the series of a registration that have figures (for reports and dashboards).</summary>
    /// <param name="scope">The registration's scope (<see cref="OtpDeliverySeries.Scope"/>).</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>The series.</returns>
    ValueTask<IReadOnlyList<OtpDeliverySeries>> ListAsync(string scope, CancellationToken cancellationToken = default);
}

/// <summary>One series of delivery figures: a provider's sends to one region, for one registration.</summary>
/// <param name="Scope">The registration: empty for the default one, its name followed by <c>/</c> for a keyed one.</param>
/// <param name="Provider">The provider's name (<see cref="IOtpClient.ProviderName"/>).</param>
/// <param name="Region">The recipients' region (ISO 3166-1 alpha-2), or <c>001</c> for numbers of no region; followed by <c>/voice</c> or <c>/whatsapp</c> for the sends of those channels (SMS has the region alone), so that a provider's calls and texts are judged apart.</param>
public sealed record OtpDeliverySeries(string Scope, string Provider, string Region);

/// <summary>What happened to a send, as delivery health counts it.</summary>
public enum OtpDeliveryOutcome
{
    /// <summary>The provider accepted the send.</summary>
    Sent,

    /// <summary>The code was verified in time.</summary>
    Verified,

    /// <summary>The user asked for the code again: it did not arrive (in time).</summary>
    Resent,
}

/// <summary>The counts of one bucket of a series.</summary>
/// <param name="Index">The bucket (time divided by the bucket length).</param>
/// <param name="Sends">Sends accepted by the provider.</param>
/// <param name="Verified">Of those, verified in time.</param>
/// <param name="Resent">Of those, sent again at the user's request.</param>
public readonly record struct OtpDeliveryBucket(long Index, long Sends, long Verified, long Resent);
