namespace OtpClients.Guard;

/// <summary>
/// Where the send guard keeps its counters: in memory by default (one app instance), or shared by many instances
/// (<c>OtpClients.Redis</c>). Implementations must take every counter of one <see cref="OtpGuardRequest"/> atomically,
/// all or nothing, even when many instances call at once.
/// </summary>
/// <remarks>
/// Counter keys (<see cref="OtpGuardCounter.Key"/>) contain phone numbers and IP addresses: a store that writes them
/// outside the process must not write them in clear (the Redis store writes a keyed hash). A store throws when it
/// cannot be reached; the guard then fails closed or open as <see cref="OtpSendGuardOptions.OnStoreFailure"/> says.
/// </remarks>
public interface IOtpGuardStore
{
    /// <summary>
    /// Checks every counter of <paramref name="request"/> and its conversion checks; when all have room, counts the request in
    /// each of them. When one has no room, counts nothing and names it.
    /// </summary>
    /// <param name="request">The counters and the instant.</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>Whether the request was counted; otherwise the rule that refused it and when it may succeed.</returns>
    ValueTask<OtpGuardDecision> TryAcquireAsync(OtpGuardRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives back what an allowed <see cref="TryAcquireAsync"/> of the same request took: one event, at
    /// <see cref="OtpGuardRequest.Now"/>, from each of its counters and from its conversion checks' sends. Counters with a
    /// <see cref="OtpGuardCounter.Member"/> are left as they are (a distinct member is not an event). The guard calls it
    /// for a send the provider surely did not accept, with the counters it gives back. The default implementation gives
    /// back nothing: the counts stay, which errs on the safe side.
    /// </summary>
    /// <param name="request">The counters to give an event back to, and the instant they were taken at.</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>A task that completes when the events are given back.</returns>
    ValueTask ReleaseAsync(OtpGuardRequest request, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <summary>Records one event in a plain sliding-window counter, without a limit: a verified code for the conversion guard.</summary>
    /// <param name="key">The counter's key (<see cref="OtpGuardConversionCheck.VerifiedKey"/>).</param>
    /// <param name="window">How long the event counts.</param>
    /// <param name="now">The instant of the event.</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>A task that completes when the event is recorded.</returns>
    ValueTask RecordAsync(string key, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken = default);
}

/// <summary>The counters one guarded request takes together.</summary>
/// <param name="Now">The instant of the request (the app's <see cref="TimeProvider"/>; instances sharing a store should keep their clocks in sync).</param>
/// <param name="Counters">The counters, checked in order: the first without room is the one named in a refusal.</param>
/// <param name="Conversions">The conversion checks (the client IP's and its network's), when the conversion guard is on; checked after the counters, in order.</param>
public sealed record OtpGuardRequest(DateTimeOffset Now, IReadOnlyList<OtpGuardCounter> Counters, IReadOnlyList<OtpGuardConversionCheck>? Conversions = null);

/// <summary>One sliding-window counter.</summary>
/// <param name="Rule">The rule it enforces (<see cref="OtpGuardRules"/>), named in a refusal.</param>
/// <param name="Key">Which counter: the rule and what it counts, such as a phone number in E.164 form. Sensitive.</param>
/// <param name="Limit">How many events the window holds; at least 1.</param>
/// <param name="Window">How long an event counts.</param>
/// <param name="Member">
/// <see langword="null"/>: every request counts one event. Otherwise the counter counts distinct members (such as
/// regions per IP): a member already in the window always has room and counts again only as a refresh.
/// </param>
public sealed record OtpGuardCounter(string Rule, string Key, int Limit, TimeSpan Window, string? Member = null);

/// <summary>
/// The conversion guard's check: refuse when, of the sends counted in <see cref="SendsKey"/> over <see cref="Window"/> and
/// older than <see cref="GracePeriod"/>, at least <see cref="MinSends"/> exist and the share not matched by an event in
/// <see cref="VerifiedKey"/> passes <see cref="MaxUnverifiedRatio"/>. An allowed request adds one event to <see cref="SendsKey"/>.
/// </summary>
/// <param name="SendsKey">The sends of the client IP or network.</param>
/// <param name="VerifiedKey">Its verified codes (<see cref="IOtpGuardStore.RecordAsync"/>).</param>
/// <param name="Window">The sliding window.</param>
/// <param name="GracePeriod">How young a send may be and not count yet.</param>
/// <param name="MinSends">The fewest counted sends before judging.</param>
/// <param name="MaxUnverifiedRatio">The share of unverified sends (0 to 1) above which the request is refused.</param>
public sealed record OtpGuardConversionCheck(string SendsKey, string VerifiedKey, TimeSpan Window, TimeSpan GracePeriod, int MinSends, double MaxUnverifiedRatio);

/// <summary>The answer of <see cref="IOtpGuardStore.TryAcquireAsync"/>.</summary>
public readonly record struct OtpGuardDecision
{
    /// <summary>The decision that lets the request through.</summary>
    public static OtpGuardDecision Allowed => default;

    /// <summary>Gets a value indicating whether the request was counted and may go ahead.</summary>
    public bool IsAllowed => RefusedBy is null;

    /// <summary>Gets the rule (<see cref="OtpGuardCounter.Rule"/>, or <see cref="OtpGuardRules.Conversion"/>) that refused the request; <see langword="null"/> when allowed.</summary>
    public string? RefusedBy { get; init; }

    /// <summary>Gets when the refused request may succeed: when enough counted events have left the window.</summary>
    public TimeSpan RetryAfter { get; init; }

    /// <summary>Creates a refusal.</summary>
    /// <param name="rule">The rule that refused.</param>
    /// <param name="retryAfter">When the request may succeed.</param>
    /// <returns>The decision.</returns>
    public static OtpGuardDecision Refused(string rule, TimeSpan retryAfter) => new() { RefusedBy = rule, RetryAfter = retryAfter };
}
