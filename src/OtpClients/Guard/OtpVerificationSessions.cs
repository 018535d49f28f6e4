using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using OtpClients.Delivery;
using OtpClients.Diagnostics;

namespace OtpClients.Guard;

/// <summary>
/// The <see cref="IOtpVerificationSessions"/> of one registration: its <see cref="IOtpClient"/> (guard and failover
/// included), the session store, and delivery health when the registration uses it.
/// </summary>
internal sealed partial class OtpVerificationSessions(IOtpClient client, IOtpSessionStore store, OtpSessionOptions options, OtpDeliveryHealthMonitor? health, TimeProvider timeProvider, ILogger logger, OtpSessionStoreStatus? storeStatus = null, IReadOnlyList<OtpChannel>? channels = null) : IOtpVerificationSessions
{
    /// <summary>The id's length: 16 random bytes in base64url without padding.</summary>
    public const int IdLength = 22;

    /// <summary>The <see cref="OtpError.ProviderCode"/> of a resend refused because the session used all its check attempts.</summary>
    public const string SessionAttempts = "session_attempts";

    private const int IdBytes = 16;

    private readonly OtpSessionStoreStatus status = storeStatus ?? new OtpSessionStoreStatus();

    public IReadOnlyList<OtpChannel> Channels { get; } = channels ?? [OtpChannel.Sms];

    private static readonly System.Buffers.SearchValues<char> IdCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public async Task<OtpSessionStartResult> StartAsync(OtpSendRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (status.IsKnownDown && !await StoreAnswersAsync(cancellationToken).ConfigureAwait(false))
        {
            // Never send a code whose session cannot be stored: the user could not verify it, and a bot (or users who
            // retry) would get unlimited SMS, whatever the guard's OnStoreFailure says.
            return OtpSessionStartResult.Failure(StoreUnavailableError() with { Message = "The verification session store could not be reached, so no code was sent: try again later." });
        }

        var sent = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!sent.IsSuccess)
        {
            return OtpSessionStartResult.Failure(sent.Error);
        }

        var challenge = sent.Challenge;
        var now = timeProvider.GetUtcNow();
        var expiresAt = ExpiryOf(challenge, now);
        var phone = PhoneNumber.TryParse(challenge.PhoneNumber, out var number) ? number.E164 : challenge.PhoneNumber;
        var network = NetworkOf(request.ClientIpAddress);
        var counts = await CountsAsync(challenge, network, request.Channel).ConfigureAwait(false);
        var session = new OtpSessionState
        {
            PhoneNumber = phone,
            Settings = OtpSendSettings.From(request),
            ClientNetwork = network,
            Challenges = [new OtpSessionChallenge(challenge, now) { CountsForDeliveryHealth = counts, Channel = request.Channel }],
            // Never more attempts than the provider allows for its code (AMM closes a request after max_retry wrong
            // codes): past that, a right code would be answered "wrong".
            MaxAttempts = challenge.MaxAttempts is > 0 and var allowed ? Math.Min(options.MaxAttempts, allowed) : options.MaxAttempts,
            ExpiresAt = expiresAt,
        };
        var id = NewId();
        try
        {
            // The code is out: the session is written even if the caller cancels now, or the user could never verify it.
            await store.CreateAsync(id, session, expiresAt - now, CancellationToken.None).ConfigureAwait(false);
            status.Succeeded();
        }
        catch (Exception ex)
        {
            status.Failed();
            Log.SessionStoreFailed(logger, "start", "the code was sent but cannot be verified; the user must ask for a new one", ex.GetType().Name);
            return OtpSessionStartResult.Failure(SentButNotStored("The code was sent, but the verification session could not be stored: ask for a new code later."));
        }

        if (counts)
        {
            await RecordAsync(challenge, now, OtpDeliveryOutcome.Sent, request.Channel).ConfigureAwait(false);
        }

        return OtpSessionStartResult.Success(id, challenge.ProviderName, expiresAt);
    }

    public Task<OtpSessionStartResult> ResendAsync(string verificationId, string? clientIpAddress = null, CancellationToken cancellationToken = default) =>
        ResendCoreAsync(verificationId, null, clientIpAddress, cancellationToken);

    public Task<OtpSessionStartResult> ResendAsync(string verificationId, OtpChannel channel, string? clientIpAddress = null, CancellationToken cancellationToken = default) =>
        ResendCoreAsync(verificationId, channel, clientIpAddress, cancellationToken);

    public async Task<OtpVerifyResult> CheckAsync(string verificationId, string code, string? clientIpAddress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verificationId);
        ArgumentNullException.ThrowIfNull(code);
        if (!IsWellFormedId(verificationId))
        {
            return OtpVerifyResult.Rejected(OtpVerificationStatus.NotFound);
        }

        if (!RequestChecks.TryNormalizeCode(code, out _))
        {
            // Empty, or nothing a code can be: no provider is asked, so no attempt is spent.
            return OtpVerifyResult.Rejected(OtpVerificationStatus.InvalidCode);
        }

        OtpSessionState? session;
        var counted = false;
        try
        {
            session = await store.UpdateAsync(verificationId, timeProvider.GetUtcNow(), s =>
            {
                counted = s.Attempts < s.MaxAttempts;
                return counted ? s with { Attempts = s.Attempts + 1 } : s;
            }, cancellationToken).ConfigureAwait(false);
            status.Succeeded();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            status.Failed();
            Log.SessionStoreFailed(logger, "check", "the check was refused before any provider was called", ex.GetType().Name);
            return StoreUnavailable();
        }

        if (session is null)
        {
            return OtpVerifyResult.Rejected(OtpVerificationStatus.NotFound);
        }

        if (!counted)
        {
            // The session is not removed here: a check still in flight may be the one that verifies, and removing the
            // session under it would turn its success into AlreadyUsed. It answers TooManyAttempts until it expires.
            return OtpVerifyResult.Rejected(OtpVerificationStatus.TooManyAttempts);
        }

        // Newest code first; a provider is asked only while its code lives.
        var now = timeProvider.GetUtcNow();
        var live = session.Challenges.Where(c => c.Challenge.ExpiresAt is not { } expires || expires > now).OrderByDescending(c => c.SentAt).ToList();
        if (live.Count == 0)
        {
            await TryCompleteAsync(verificationId).ConfigureAwait(false);
            return OtpVerifyResult.Rejected(OtpVerificationStatus.Expired);
        }

        OtpVerifyResult? wrong = null, failed = null, other = null, final = null;
        var anyChecked = false;
        List<OtpSessionChallenge>? ended = null;
        foreach (var candidate in live)
        {
            var result = await client.VerifyAsync(new OtpVerifyRequest(candidate.Challenge, code) { ClientIpAddress = clientIpAddress }, cancellationToken).ConfigureAwait(false);
            switch (result.Status)
            {
                case OtpVerificationStatus.Verified:
                    return await CompleteVerifiedAsync(verificationId, session, candidate, result).ConfigureAwait(false);
                case OtpVerificationStatus.Expired or OtpVerificationStatus.Cancelled or OtpVerificationStatus.NotFound:
                    anyChecked = true;
                    final ??= result;
                    (ended ??= []).Add(candidate); // this code can never verify
                    break;
                case OtpVerificationStatus.InvalidCode:
                    anyChecked = true;
                    wrong ??= result;
                    break;
                case OtpVerificationStatus.Failed:
                    anyChecked |= !SendGuardPolicy.NothingWasDone(result.Error);
                    failed ??= result;
                    break;
                default:
                    // The provider's AlreadyUsed or TooManyAttempts, which a concurrent check of the same session can
                    // cause: removing the session then could fail the check that verified. The attempt cap holds either way.
                    anyChecked = true;
                    other ??= result;
                    break;
            }
        }

        if (ended is not null && ended.Count == live.Count && wrong is null && failed is null && other is null)
        {
            await TryCompleteAsync(verificationId).ConfigureAwait(false); // every code is final: the session can never verify
            return final!;
        }

        if (ended is not null)
        {
            await TryForgetAsync(verificationId, ended).ConfigureAwait(false);
        }

        if (!anyChecked)
        {
            // No provider checked the code (an outage, an open circuit, a guard refusal): the attempt is given back,
            // so an outage does not use up the user's attempts.
            await TryReleaseAttemptAsync(verificationId).ConfigureAwait(false);
        }

        return wrong ?? failed ?? other ?? final ?? OtpVerifyResult.Rejected(OtpVerificationStatus.Expired);
    }

    private async Task<OtpVerifyResult> CompleteVerifiedAsync(string verificationId, OtpSessionState session, OtpSessionChallenge verified, OtpVerifyResult result)
    {
        bool completed;
        try
        {
            completed = await store.CompleteAsync(verificationId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Without removing the session, "verified once" cannot be promised: fail closed.
            Log.SessionStoreFailed(logger, "check", "the provider verified the code but the session could not be completed, so the check failed", ex.GetType().Name);
            return StoreUnavailable();
        }

        if (!completed)
        {
            return OtpVerifyResult.Rejected(OtpVerificationStatus.AlreadyUsed, result.ProviderStatus);
        }

        if (verified.CountsForDeliveryHealth)
        {
            await RecordAsync(verified.Challenge, verified.SentAt, OtpDeliveryOutcome.Verified, verified.Channel).ConfigureAwait(false);
        }

        return OtpVerifyResult.VerifiedFor(session.PhoneNumber, result.ProviderStatus);
    }

    /// <summary>Asks a store known to be down whether it answers again: one read of an id never issued.</summary>
    private async Task<bool> StoreAnswersAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.GetAsync(NewId(), timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            status.Succeeded();
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Log.SessionStoreFailed(logger, "start", "no code was sent, since its session could not be stored", ex.GetType().Name);
            return false;
        }
    }

    /// <summary>The client network of an address as the guard reckons it (IPv4 /24, IPv6 /48); <see langword="null"/> without a readable address.</summary>
    private static string? NetworkOf(string? clientIpAddress) =>
        clientIpAddress is not null && RequestChecks.TryCanonicalIp(clientIpAddress, out var canonical) ? SendGuardPolicy.IpKeys(canonical).Prefix : null;

    /// <summary>Whether a send counts in delivery health's figures (always when delivery health is off: nothing is recorded then).</summary>
    private ValueTask<bool> CountsAsync(OtpChallenge challenge, string? network, OtpChannel channel)
    {
        if (health is null || !PhoneNumber.TryParse(challenge.PhoneNumber, out var number))
        {
            return ValueTask.FromResult(true);
        }

        return health.CountsAsync(challenge.ProviderName, OtpDeliveryHealthMonitor.RegionOf(number, channel), network);
    }

    private ValueTask RecordAsync(OtpChallenge challenge, DateTimeOffset sentAt, OtpDeliveryOutcome outcome, OtpChannel channel, bool resend = false)
    {
        if (health is null || !PhoneNumber.TryParse(challenge.PhoneNumber, out var number))
        {
            return ValueTask.CompletedTask;
        }

        return health.RecordAsync(challenge.ProviderName, OtpDeliveryHealthMonitor.RegionOf(number, channel), sentAt, outcome, resend);
    }

    private DateTimeOffset ExpiryOf(OtpChallenge challenge, DateTimeOffset now) =>
        challenge.ExpiresAt is { } expires && expires > now ? expires : now + options.DefaultTimeToLive;

    private async Task TryReleaseAttemptAsync(string verificationId)
    {
        try
        {
            await store.UpdateAsync(verificationId, timeProvider.GetUtcNow(), static s => s.Attempts > 0 ? s with { Attempts = s.Attempts - 1 } : s, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.SessionStoreFailed(logger, "check", "the attempt of a check the provider never made stays counted", ex.GetType().Name);
        }
    }

    private async Task TryForgetAsync(string verificationId, List<OtpSessionChallenge> ended)
    {
        try
        {
            // Removed by provider and send time: a code that replaced an ended one meanwhile (a concurrent resend) stays.
            bool Ended(OtpSessionChallenge c) => ended.Exists(e => e.SentAt == c.SentAt && string.Equals(e.Challenge.ProviderName, c.Challenge.ProviderName, StringComparison.Ordinal));
            await store.UpdateAsync(verificationId, timeProvider.GetUtcNow(), s => s.Challenges.Any(Ended) ? s with { Challenges = [.. s.Challenges.Where(c => !Ended(c))] } : s, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.SessionStoreFailed(logger, "check", "a code that can no longer verify stays in the session until it expires", ex.GetType().Name);
        }
    }

    /// <summary>Tells whether <paramref name="id"/> has the shape of an id this service issues: 22 canonical base64url characters.</summary>
    internal static bool IsWellFormedId(string id)
    {
        if (id.Length != IdLength)
        {
            return false;
        }

        // Canonical only: 22 characters carry 132 bits, so the last one's 4 unused bits are zero (A, Q, g or w) and one
        // id has one spelling.
        return !id.AsSpan().ContainsAnyExcept(IdCharacters) && id[^1] is 'A' or 'Q' or 'g' or 'w';
    }

    private static string NewId()
    {
        Span<byte> bytes = stackalloc byte[IdBytes];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }

    private static OtpError SessionNotFound() =>
        new(OtpErrorCode.NotFound, "No live verification session has this id (never issued, altered, expired or completed): start a new one.");

    private static OtpError StoreUnavailableError() =>
        new(OtpErrorCode.ProviderUnavailable, "The verification session store could not be reached: try again later.")
        {
            ProviderCode = OtpGuardRules.StoreUnavailable,
            IsTransient = true,
        };

    private static OtpVerifyResult StoreUnavailable() => OtpVerifyResult.Failure(StoreUnavailableError());

    /// <summary>A code went out but the session holding it could not be written: the store's error, marked as sent.</summary>
    private static OtpError SentButNotStored(string message) => StoreUnavailableError() with { Message = message, MayHaveBeenAccepted = true };

    private async Task TryCompleteAsync(string verificationId)
    {
        try
        {
            await store.CompleteAsync(verificationId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.SessionStoreFailed(logger, "check", "a finished session could not be removed; it expires with its challenge", ex.GetType().Name);
        }
    }
}
