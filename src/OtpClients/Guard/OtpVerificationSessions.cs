using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using OtpClients.Diagnostics;

namespace OtpClients.Guard;

/// <summary>The <see cref="IOtpVerificationSessions"/> of one registration: its <see cref="IOtpClient"/> (guard included) and the session store.</summary>
internal sealed class OtpVerificationSessions(IOtpClient client, IOtpSessionStore store, OtpSessionOptions options, TimeProvider timeProvider, ILogger logger) : IOtpVerificationSessions
{
    /// <summary>The id's length: 16 random bytes in base64url without padding.</summary>
    public const int IdLength = 22;

    private const int IdBytes = 16;

    private static readonly System.Buffers.SearchValues<char> IdCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public async Task<OtpSessionStartResult> StartAsync(OtpSendRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sent = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!sent.IsSuccess)
        {
            return OtpSessionStartResult.Failure(sent.Error);
        }

        var challenge = sent.Challenge;
        var now = timeProvider.GetUtcNow();
        var expiresAt = challenge.ExpiresAt is { } expires && expires > now ? expires : now + options.DefaultTimeToLive;
        var id = NewId();
        try
        {
            // The code is out: the session is written even if the caller cancels now, or the user could never verify it.
            await store.CreateAsync(id, challenge, expiresAt, expiresAt - now, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.SessionStoreFailed(logger, "start", "the code was sent but cannot be verified; the user must ask for a new one", ex.GetType().Name);
            return OtpSessionStartResult.Failure(new OtpError(OtpErrorCode.ProviderUnavailable, "The code was sent, but the verification session could not be stored: ask for a new code later.")
            {
                MayHaveBeenAccepted = true,
                IsTransient = true,
                ProviderCode = OtpGuardRules.StoreUnavailable,
            });
        }

        return OtpSessionStartResult.Success(id, challenge.ProviderName, expiresAt);
    }

    public async Task<OtpVerifyResult> CheckAsync(string verificationId, string code, string? clientIpAddress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verificationId);
        ArgumentNullException.ThrowIfNull(code);
        if (!IsWellFormedId(verificationId))
        {
            return OtpVerifyResult.Rejected(OtpVerificationStatus.NotFound);
        }

        OtpSessionAttempt? attempt;
        try
        {
            attempt = await store.BeginAttemptAsync(verificationId, timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Log.SessionStoreFailed(logger, "check", "the check was refused before any provider was called", ex.GetType().Name);
            return StoreUnavailable();
        }

        if (attempt is null)
        {
            return OtpVerifyResult.Rejected(OtpVerificationStatus.NotFound);
        }

        if (attempt.Attempt > options.MaxAttempts)
        {
            // The session is not removed here: a check still in flight may be the one that verifies, and removing the
            // session under it would turn its success into AlreadyUsed. It answers TooManyAttempts until it expires.
            return OtpVerifyResult.Rejected(OtpVerificationStatus.TooManyAttempts);
        }

        var challenge = attempt.Challenge;
        var result = await client.VerifyAsync(new OtpVerifyRequest(challenge, code) { ClientIpAddress = clientIpAddress }, cancellationToken).ConfigureAwait(false);
        switch (result.Status)
        {
            case OtpVerificationStatus.Verified:
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

                return completed
                    ? OtpVerifyResult.VerifiedFor(PhoneNumber.TryParse(challenge.PhoneNumber, out var number) ? number.E164 : challenge.PhoneNumber, result.ProviderStatus)
                    : OtpVerifyResult.Rejected(OtpVerificationStatus.AlreadyUsed, result.ProviderStatus);
            case OtpVerificationStatus.Expired or OtpVerificationStatus.Cancelled or OtpVerificationStatus.NotFound:
                await TryCompleteAsync(verificationId).ConfigureAwait(false); // final: the challenge can never verify
                return result;
            default:
                // A wrong code or a failed check: the attempt is counted, the session stays. So do the provider's
                // AlreadyUsed and TooManyAttempts, which a concurrent check of the same session can cause: removing the
                // session then could fail the check that verified. The attempt cap holds either way. A check the
                // provider surely never made (an outage, an open circuit, a guard refusal) checked no code: the
                // attempt is given back, so an outage does not use up the user's attempts.
                if (SendGuardPolicy.NothingWasDone(result.Error))
                {
                    await TryReleaseAttemptAsync(verificationId).ConfigureAwait(false);
                }

                return result;
        }
    }

    private async Task TryReleaseAttemptAsync(string verificationId)
    {
        try
        {
            await store.ReleaseAttemptAsync(verificationId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.SessionStoreFailed(logger, "check", "the attempt of a check the provider never made stays counted", ex.GetType().Name);
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

    private static OtpVerifyResult StoreUnavailable() =>
        OtpVerifyResult.Failure(new OtpError(OtpErrorCode.ProviderUnavailable, "The verification session store could not be reached: try again later.")
        {
            ProviderCode = OtpGuardRules.StoreUnavailable,
            IsTransient = true,
        });

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
