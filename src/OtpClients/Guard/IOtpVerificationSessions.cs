namespace OtpClients;

/// <summary>
/// Verification sessions: send a code and keep its <see cref="OtpChallenge"/> on the server, behind an opaque id the app
/// hands to the browser instead. Registered by <c>AddOtpClient</c> next to the <see cref="IOtpClient"/> it uses (keyed the
/// same way), with the guard and failover of that registration.
/// </summary>
/// <remarks>
/// <para>
/// Why: a challenge held by the client can be edited. AMM verifies by its id alone, so a user who receives a code on
/// their own phone could send back a challenge with a victim's number and that id, and an app that trusts the
/// challenge's <see cref="OtpChallenge.PhoneNumber"/> would mark the victim's number verified. A session keeps the
/// challenge server-side and answers with the number it was sent to (<see cref="OtpVerifyResult.PhoneNumber"/>).
/// </para>
/// <para>
/// A session allows <see cref="OtpSessionOptions.MaxAttempts"/> checks, as set by the registration that started it wherever
/// it is checked (each counted before the provider is asked, and given back when the provider surely never made the
/// check: an outage, an open circuit),
/// verifies at most once even when checked from many instances at once, and is gone after success, after a final
/// answer (expired, used, cancelled, too many attempts) and at the challenge's expiry. When a code does not arrive,
/// <see cref="ResendAsync(string, string?, CancellationToken)"/> sends another through the next provider of the route, and with <c>otp.UseDeliveryHealth</c>
/// the sessions learn which providers deliver. The store is in memory by default; <c>otp.UseRedis(…)</c> shares it between instances.
/// </para>
/// </remarks>
public interface IOtpVerificationSessions
{
    /// <summary>Sends a code through the <see cref="IOtpClient"/> and opens a session for it.</summary>
    /// <remarks>
    /// No code goes out whose session cannot be stored. Once an operation on the session store has failed, the store is
    /// <i>known down</i> until an operation succeeds again: while it is, a start first asks the store (one read of an id
    /// never issued) and, when that fails, returns <see cref="OtpErrorCode.ProviderUnavailable"/> (provider code
    /// <c>store_unavailable</c>, transient) with nothing sent, whatever the guard's <c>OnStoreFailure</c> says. The cost:
    /// one extra store round trip per start while the store is known down, and, on each app instance, the start that
    /// first meets an outage (and any in flight with it) may still send a code it then cannot store; that start fails
    /// with <see cref="OtpError.MayHaveBeenAccepted"/> set.
    /// </remarks>
    /// <param name="request">The send request (<see cref="IOtpClient.SendAsync"/>).</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>The session's id and expiry, or why the send failed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<OtpSessionStartResult> StartAsync(OtpSendRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gets the channels the registration's providers offer, SMS first: what a page may offer ("Call me instead" when
    /// <see cref="OtpChannel.Voice"/> is here).
    /// </summary>
    IReadOnlyList<OtpChannel> Channels { get; }

    /// <summary>
    /// Sends a new code for a session, through another provider when its route has one: the first provider of the route
    /// (in delivery health's order) that has not sent for this session yet; the same provider only when the route has no
    /// other (or when every other one fails in a way failover moves on from). The session keeps its id, its number and its
    /// send settings; its earlier codes stay valid while they live (a resend through the same provider replaces that
    /// provider's code), so the user may type whichever arrives.
    /// </summary>
    /// <param name="verificationId">The id <see cref="StartAsync"/> returned.</param>
    /// <param name="clientIpAddress">The end user's IP address, for the send guard's per-IP rules (see <see cref="OtpSendRequest.ClientIpAddress"/>).</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>
    /// On success the same <see cref="OtpSessionStartResult.VerificationId"/>, the provider that sent the new code
    /// (<see cref="OtpSessionStartResult.ProviderName"/>) and the session's new expiry. An id never issued, altered, expired
    /// or already completed fails with <see cref="OtpErrorCode.NotFound"/>, with no HTTP call; a session that used all its
    /// check attempts fails with <see cref="OtpErrorCode.RateLimited"/> (<see cref="OtpError.ProviderCode"/>
    /// <c>session_attempts</c>), with no HTTP call: a new code gives no new attempts. The send guard treats a resend as a
    /// send for every rule: its cooldown per number applies to a resend as to any send to that number (the refusal's
    /// <see cref="OtpError.RetryAfter"/> says when a resend can go), and so do the number, IP, region and hourly budgets.
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="verificationId"/> is <see langword="null"/> or empty.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<OtpSessionStartResult> ResendAsync(string verificationId, string? clientIpAddress = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends a new code for a session through another channel ("call me instead"): as
    /// <see cref="ResendAsync(string, string?, CancellationToken)"/>, through the providers of the route that offer
    /// <paramref name="channel"/> (those that do not are skipped without a request; none:
    /// <see cref="OtpErrorCode.NotSupported"/> with no HTTP call). Every live code of the session stays valid, whatever
    /// its channel, and later resends keep the new channel. The send guard counts a call as a send, with the same
    /// budgets and number-type rules (voice pumping to premium numbers is a known fraud).
    /// </summary>
    /// <param name="verificationId">The id <see cref="StartAsync"/> returned.</param>
    /// <param name="channel">The channel of the new code.</param>
    /// <param name="clientIpAddress">The end user's IP address, for the send guard's per-IP rules.</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>As <see cref="ResendAsync(string, string?, CancellationToken)"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="verificationId"/> is <see langword="null"/> or empty.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<OtpSessionStartResult> ResendAsync(string verificationId, OtpChannel channel, string? clientIpAddress = null, CancellationToken cancellationToken = default);

    /// <summary>Checks a code against a session.</summary>
    /// <param name="verificationId">The id <see cref="StartAsync"/> returned.</param>
    /// <param name="code">The code the user typed.</param>
    /// <param name="clientIpAddress">The end user's IP address, passed on to the provider (see <see cref="OtpVerifyRequest.ClientIpAddress"/>).</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>
    /// The verification result: on success <see cref="OtpVerifyResult.PhoneNumber"/> is the number the session sent to.
    /// After a resend, the code of any live code of the session is accepted: the providers are asked newest code first,
    /// each only while its code lives, and the check counts as one attempt.
    /// An id never issued, altered, expired or already completed is <see cref="OtpVerificationStatus.NotFound"/>, with no
    /// HTTP call; an attempt over the cap is <see cref="OtpVerificationStatus.TooManyAttempts"/>, with no HTTP call, until
    /// the session expires. Concurrent checks of one session (from any instance sharing the store) verify at most once:
    /// the others get <see cref="OtpVerificationStatus.AlreadyUsed"/>, <see cref="OtpVerificationStatus.NotFound"/> or
    /// <see cref="OtpVerificationStatus.TooManyAttempts"/>.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="verificationId"/> or <paramref name="code"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<OtpVerifyResult> CheckAsync(string verificationId, string code, string? clientIpAddress = null, CancellationToken cancellationToken = default);
}

/// <summary>The outcome of <see cref="IOtpVerificationSessions.StartAsync"/>.</summary>
public sealed class OtpSessionStartResult
{
    private OtpSessionStartResult(string? verificationId, string? providerName, DateTimeOffset expiresAt, OtpError? error)
    {
        VerificationId = verificationId;
        ProviderName = providerName;
        ExpiresAt = expiresAt;
        Error = error;
    }

    /// <summary>Gets a value indicating whether the code was sent and the session opened; <see langword="true"/> exactly when <see cref="VerificationId"/> is set.</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(VerificationId), nameof(ProviderName))]
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>Gets the session's opaque id (128 random bits, base64url, 22 characters) to hand to the client, on success.</summary>
    public string? VerificationId { get; }

    /// <summary>Gets the provider that sent the code, on success.</summary>
    public string? ProviderName { get; }

    /// <summary>Gets when the session is gone: the challenge's expiry, or <see cref="OtpSessionOptions.DefaultTimeToLive"/> when the provider gave none. Default on failure.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>Gets why the send failed, on failure.</summary>
    public OtpError? Error { get; }

    /// <summary>Creates a successful result.</summary>
    /// <param name="verificationId">The session's id.</param>
    /// <param name="providerName">The provider that sent the code.</param>
    /// <param name="expiresAt">When the session is gone.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException"><paramref name="verificationId"/> or <paramref name="providerName"/> is empty.</exception>
    public static OtpSessionStartResult Success(string verificationId, string providerName, DateTimeOffset expiresAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(verificationId);
        ArgumentException.ThrowIfNullOrEmpty(providerName);
        return new(verificationId, providerName, expiresAt, null);
    }

    /// <summary>Creates a failed result.</summary>
    /// <param name="error">Why the send failed.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is <see langword="null"/>.</exception>
    public static OtpSessionStartResult Failure(OtpError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(null, null, default, error);
    }

    /// <inheritdoc />
    /// <remarks>The id is a bearer secret for the session: only its first characters are printed.</remarks>
    public override string ToString() =>
        IsSuccess ? $"Started {VerificationId[..4]}… via {ProviderName}, expires {ExpiresAt:O}" : $"Failure: {Error}";
}

/// <summary>Settings of verification sessions (<c>otp.UseSessions(o =&gt; …)</c>, or the <c>Sessions</c> section of the OTP configuration).</summary>
public sealed class OtpSessionOptions
{
    /// <summary>
    /// Gets or sets the most checks of one session; the next fails with <see cref="OtpVerificationStatus.TooManyAttempts"/>
    /// without an HTTP call, and the session is gone. Defaults to 5. From 1 to 100.
    /// </summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>
    /// Gets or sets how long a session lives when the provider did not say when its code expires. Defaults to 10 minutes.
    /// From 1 minute to 1 day.
    /// </summary>
    public TimeSpan DefaultTimeToLive { get; set; } = TimeSpan.FromMinutes(10);
}
