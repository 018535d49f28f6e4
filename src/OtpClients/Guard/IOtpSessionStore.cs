namespace OtpClients.Guard;

/// <summary>
/// Where verification sessions (<see cref="IOtpVerificationSessions"/>) keep their challenges between send and check: in
/// memory by default (one app instance), or shared by many instances (<c>OtpClients.Redis</c>).
/// </summary>
/// <remarks>
/// A session holds a phone number: a store that writes outside the process must not write it in clear (the Redis store
/// encrypts session values and hashes the ids in its keys). Each method is one atomic step, so that many instances
/// checking one session at once never count fewer attempts than were made and never complete it twice. A store throws
/// when it cannot be reached.
/// </remarks>
public interface IOtpSessionStore
{
    /// <summary>Stores a new session until <paramref name="expiresAt"/>.</summary>
    /// <param name="verificationId">The session's id.</param>
    /// <param name="challenge">The challenge to keep.</param>
    /// <param name="expiresAt">When the session is gone, by the app's <see cref="TimeProvider"/> (compared with the <c>now</c> of <see cref="BeginAttemptAsync"/>).</param>
    /// <param name="timeToLive">The same instant as a duration from now: what a store that expires entries by its own clock (Redis) uses.</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>A task that completes when the session is stored.</returns>
    Task CreateAsync(string verificationId, OtpChallenge challenge, DateTimeOffset expiresAt, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>Counts one more check attempt of a session and returns it, in one atomic step.</summary>
    /// <param name="verificationId">The session's id.</param>
    /// <param name="now">The instant of the attempt: a session past its expiry is not returned.</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>The challenge and the attempt's number (1 for the first), or <see langword="null"/> when no live session has that id.</returns>
    Task<OtpSessionAttempt?> BeginAttemptAsync(string verificationId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives back one attempt counted by <see cref="BeginAttemptAsync"/>, in one atomic step, when the session still
    /// exists: the sessions call it after a check the provider surely never made (an outage, an open circuit), so an outage
    /// does not use up the user's attempts. The default implementation gives back nothing: the count stays, which errs on
    /// the safe side.
    /// </summary>
    /// <param name="verificationId">The session's id.</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>A task that completes when the attempt is given back.</returns>
    Task ReleaseAttemptAsync(string verificationId, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>Removes a session, in one atomic step.</summary>
    /// <param name="verificationId">The session's id.</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns><see langword="true"/> when this call removed it; <see langword="false"/> when it was gone already (another check completed it, or it expired).</returns>
    Task<bool> CompleteAsync(string verificationId, CancellationToken cancellationToken = default);
}

/// <summary>A check attempt of a verification session (<see cref="IOtpSessionStore.BeginAttemptAsync"/>).</summary>
/// <param name="Challenge">The challenge the session keeps.</param>
/// <param name="Attempt">This attempt's number, 1 for the first.</param>
public sealed record OtpSessionAttempt(OtpChallenge Challenge, int Attempt);
