using OtpClients.Delivery;
using OtpClients.Diagnostics;
using OtpClients.Failover;

namespace OtpClients.Guard;

/// <summary>Verification sessions: a resend, through the next provider of the route (and, asked for, another channel).</summary>
internal sealed partial class OtpVerificationSessions
{
    private async Task<OtpSessionStartResult> ResendCoreAsync(string verificationId, OtpChannel? channel, string? clientIpAddress, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(verificationId);
        if (!IsWellFormedId(verificationId))
        {
            return OtpSessionStartResult.Failure(SessionNotFound());
        }

        OtpSessionState? session;
        try
        {
            session = await store.GetAsync(verificationId, timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            status.Succeeded();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            status.Failed();
            Log.SessionStoreFailed(logger, "resend", "the resend was refused before any provider was called", ex.GetType().Name);
            return OtpSessionStartResult.Failure(StoreUnavailableError());
        }

        if (session is null)
        {
            return OtpSessionStartResult.Failure(SessionNotFound());
        }

        if (session.Attempts >= session.MaxAttempts)
        {
            return OtpSessionStartResult.Failure(new OtpError(OtpErrorCode.RateLimited, "This verification session used all its check attempts: a new code would give no new attempts. Start a new session.")
            {
                ProviderCode = SessionAttempts,
            });
        }

        // The providers that sent for this session through this channel, the one that sent longest ago first: a provider
        // that texted the code can still call it.
        var settings = channel is { } asked ? session.Settings with { Channel = asked } : session.Settings;
        var alreadySent = session.Challenges.Where(c => c.Channel == settings.Channel).OrderBy(c => c.SentAt).Select(c => c.Challenge.ProviderName).ToArray();
        var request = settings.ToRequest(session.PhoneNumber, clientIpAddress);
        var sent = client is IRoutedOtpClient routed
            ? await routed.SendAsync(request, alreadySent, cancellationToken).ConfigureAwait(false)
            : await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!sent.IsSuccess)
        {
            return OtpSessionStartResult.Failure(sent.Error);
        }

        var challenge = sent.Challenge;
        var now = timeProvider.GetUtcNow();
        var expiry = ExpiryOf(challenge, now);
        var resendNetwork = NetworkOf(clientIpAddress);
        var counts = await CountsAsync(challenge, resendNetwork, settings.Channel).ConfigureAwait(false);
        OtpSessionChallenge? givenUp = null;
        string? startedFrom = null;
        OtpSessionState? updated;
        try
        {
            // The code is out: the session is updated even if the caller cancels now.
            updated = await store.UpdateAsync(verificationId, now, s =>
            {
                var newest = s.Challenges.MaxBy(c => c.SentAt);
                givenUp = newest is { Resent: false } ? newest : null;
                startedFrom = s.ClientNetwork;
                var kept = s.Challenges
                    .Where(c => !string.Equals(c.Challenge.ProviderName, challenge.ProviderName, StringComparison.Ordinal))
                    .Select(c => ReferenceEquals(c, givenUp) ? c with { Resent = true } : c);
                return s with
                {
                    Challenges = [.. kept, new OtpSessionChallenge(challenge, now) { CountsForDeliveryHealth = counts, Channel = settings.Channel }],
                    Settings = settings,
                    Resends = s.Resends + 1,
                    ExpiresAt = expiry > s.ExpiresAt ? expiry : s.ExpiresAt,
                };
            }, CancellationToken.None).ConfigureAwait(false);
            status.Succeeded();
        }
        catch (Exception ex)
        {
            status.Failed();
            Log.SessionStoreFailed(logger, "resend", "the new code was sent but cannot be verified; the user must ask again", ex.GetType().Name);
            return OtpSessionStartResult.Failure(SentButNotStored("The new code was sent, but the verification session could not be updated: ask for a new code later."));
        }

        if (updated is null)
        {
            // Completed or expired while the code was on its way: nothing can verify it.
            return OtpSessionStartResult.Failure(SessionNotFound() with { MayHaveBeenAccepted = true });
        }

        // A resend says the code did not arrive: counted against its provider only when the session's own network asks
        // (a stranger holding the id cannot speak for the user's phone), and only for a send that counted at all.
        if (givenUp is { CountsForDeliveryHealth: true } && (startedFrom is null || string.Equals(startedFrom, resendNetwork, StringComparison.Ordinal)))
        {
            await RecordAsync(givenUp.Challenge, givenUp.SentAt, OtpDeliveryOutcome.Resent, givenUp.Channel).ConfigureAwait(false);
        }

        if (counts)
        {
            await RecordAsync(challenge, now, OtpDeliveryOutcome.Sent, settings.Channel, resend: true).ConfigureAwait(false);
        }
        return OtpSessionStartResult.Success(verificationId, challenge.ProviderName, updated.ExpiresAt);
    }
}
