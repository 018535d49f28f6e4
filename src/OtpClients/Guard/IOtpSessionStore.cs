namespace OtpClients.Guard;

/// <summary>
/// Where verification sessions (<see cref="IOtpVerificationSessions"/>) keep their state between send and check: in
/// memory by default (one app instance), or shared by many instances (<c>OtpClients.Redis</c>).
/// </summary>
/// <remarks>
/// A session holds a phone number and its attempt count: a store that writes outside the process must neither write the
/// number in clear nor let the count be changed from outside (the Redis store encrypts and authenticates the whole
/// state, count included, and hashes the ids in its keys: an altered value reads as no session). Each method is one
/// atomic step, so that many instances checking one session at once never count fewer attempts than were made and
/// never complete it twice. A store throws when it cannot be reached.
/// </remarks>
public interface IOtpSessionStore
{
    /// <summary>Stores a new session.</summary>
    /// <param name="verificationId">The session's id.</param>
    /// <param name="session">The state to keep; it is gone at <see cref="OtpSessionState.ExpiresAt"/>.</param>
    /// <param name="timeToLive">The same instant as a duration from now: what a store that expires entries by its own clock (Redis) uses.</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>A task that completes when the session is stored.</returns>
    /// <exception cref="InvalidOperationException">A session with this id exists already.</exception>
    Task CreateAsync(string verificationId, OtpSessionState session, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>Reads a live session without changing it.</summary>
    /// <param name="verificationId">The session's id.</param>
    /// <param name="now">The instant of the read: a session past its <see cref="OtpSessionState.ExpiresAt"/> is not returned.</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>The state, or <see langword="null"/> when no live session has that id (or its stored value was altered).</returns>
    Task<OtpSessionState?> GetAsync(string verificationId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes a live session in one atomic step: reads it, applies <paramref name="update"/>, and stores what it returns
    /// (nothing when it returns the state it was given), until the result's <see cref="OtpSessionState.ExpiresAt"/>.
    /// </summary>
    /// <param name="verificationId">The session's id.</param>
    /// <param name="now">The instant of the change: a session past its expiry is not changed, and the time to live is counted from it.</param>
    /// <param name="update">
    /// The change: a pure function of the current state. A shared store may call it more than once when another instance
    /// changed the session in between; the result of the last call is the one stored.
    /// </param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>The state stored (or the unchanged one), or <see langword="null"/> when no live session has that id.</returns>
    Task<OtpSessionState?> UpdateAsync(string verificationId, DateTimeOffset now, Func<OtpSessionState, OtpSessionState> update, CancellationToken cancellationToken = default);

    /// <summary>Removes a session, in one atomic step.</summary>
    /// <param name="verificationId">The session's id.</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns><see langword="true"/> when this call removed it; <see langword="false"/> when it was gone already (another check completed it, or it expired).</returns>
    Task<bool> CompleteAsync(string verificationId, CancellationToken cancellationToken = default);
}

/// <summary>
/// The server-side state of a verification session: the number, every live code sent to it (a first send and each
/// resend, at most one per provider), and the attempts counted against the cap set when it started.
/// </summary>
public sealed record OtpSessionState
{
    /// <summary>Gets the number the codes went to, in E.164 form.</summary>
    public required string PhoneNumber { get; init; }

    /// <summary>Gets the send's settings other than the number (sender, template, code length, time to live), which a resend repeats.</summary>
    public OtpSendSettings Settings { get; init; } = OtpSendSettings.None;

    /// <summary>Gets the codes sent, oldest first: at most one per provider (a resend through the same provider replaces its code).</summary>
    public required IReadOnlyList<OtpSessionChallenge> Challenges { get; init; }

    /// <summary>Gets the checks counted so far.</summary>
    public int Attempts { get; init; }

    /// <summary>Gets the most checks allowed: set when the session started, by the registration that started it, and held wherever it is checked.</summary>
    public required int MaxAttempts { get; init; }

    /// <summary>Gets how many times a code was sent again.</summary>
    public int Resends { get; init; }

    /// <summary>Gets when the session is gone: the latest expiry of its codes.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>
    /// Gets the client network that started the session (an IPv4 <c>/24</c> or an IPv6 <c>/48</c>), or
    /// <see langword="null"/> when it started without a client IP: delivery health counts a resend against a provider
    /// only when it is asked from this network.
    /// </summary>
    public string? ClientNetwork { get; init; }
}

/// <summary>A code sent for a session.</summary>
/// <param name="Challenge">The provider's challenge.</param>
/// <param name="SentAt">When it was sent (the app's clock).</param>
public sealed record OtpSessionChallenge(OtpChallenge Challenge, DateTimeOffset SentAt)
{
    /// <summary>Gets a value indicating whether the user asked for another code after this one (counted against its provider once).</summary>
    public bool Resent { get; init; }

    /// <summary>
    /// Gets a value indicating whether this send counts in delivery health's figures; <see langword="false"/> when its
    /// client network had already added its share (<c>DeliveryHealth:MaxSendsPerNetwork</c>), so that neither its
    /// verification nor its resend is counted. Defaults to <see langword="true"/>.
    /// </summary>
    public bool CountsForDeliveryHealth { get; init; } = true;

    /// <summary>Gets the channel the code went through. Defaults to <see cref="OtpChannel.Sms"/>.</summary>
    public OtpChannel Channel { get; init; }
}

/// <summary>The settings of a send besides the number and the client's IP, kept by a session so that a resend repeats them.</summary>
/// <param name="Sender">See <see cref="OtpSendRequest.Sender"/>.</param>
/// <param name="MessageTemplate">See <see cref="OtpSendRequest.MessageTemplate"/>.</param>
/// <param name="CodeLength">See <see cref="OtpSendRequest.CodeLength"/>.</param>
/// <param name="TimeToLive">See <see cref="OtpSendRequest.TimeToLive"/>.</param>
public sealed record OtpSendSettings(string? Sender, string? MessageTemplate, int? CodeLength, TimeSpan? TimeToLive)
{
    /// <summary>Gets settings that set nothing (each provider's defaults).</summary>
    public static OtpSendSettings None { get; } = new(null, null, null, null);

    /// <summary>Takes the settings of a request.</summary>
    /// <param name="request">The request.</param>
    /// <returns>Its settings.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    public static OtpSendSettings From(OtpSendRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Sender is null && request.MessageTemplate is null && request.CodeLength is null && request.TimeToLive is null && request.Culture is null && request.Channel == OtpChannel.Sms
            ? None
            : new(request.Sender, request.MessageTemplate, request.CodeLength, request.TimeToLive) { Culture = request.Culture?.Name, Channel = request.Channel };
    }

    /// <summary>Gets the channel of the sends (<see cref="OtpSendRequest.Channel"/>): a resend for another channel changes it for the ones after.</summary>
    public OtpChannel Channel { get; init; }

    /// <summary>Gets the name of <see cref="OtpSendRequest.Culture"/> (<c>he-IL</c>), so that a resend speaks the user's language; <see langword="null"/> when the request set none.</summary>
    public string? Culture { get; init; }

    /// <summary>Makes a request to <paramref name="phoneNumber"/> with these settings.</summary>
    /// <param name="phoneNumber">The number.</param>
    /// <param name="clientIpAddress">The client's IP address.</param>
    /// <returns>The request.</returns>
    public OtpSendRequest ToRequest(string phoneNumber, string? clientIpAddress) => new(phoneNumber)
    {
        Sender = Sender,
        MessageTemplate = MessageTemplate,
        CodeLength = CodeLength,
        TimeToLive = TimeToLive,
        ClientIpAddress = clientIpAddress,
        Culture = Culture is null ? null : System.Globalization.CultureInfo.GetCultureInfo(Culture),
        Channel = Channel,
    };
}
