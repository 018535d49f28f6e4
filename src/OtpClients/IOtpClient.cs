namespace OtpClients;

/// <summary>
/// A provider-neutral client that sends SMS one-time passwords and verifies the codes users type back.
/// </summary>
/// <remarks>
/// <para>
/// Outcomes are results, not exceptions: a wrong or expired code, a provider error, a timeout, a refused
/// connection or a malformed provider answer all come back as an <see cref="OtpSendResult"/> or
/// <see cref="OtpVerifyResult"/>. Methods throw only for misuse (<see cref="ArgumentNullException"/>,
/// <see cref="ArgumentException"/>) and when the caller cancels (<see cref="OperationCanceledException"/>).
/// </para>
/// <para>
/// Neither operation is idempotent: a send that is retried can text the user twice, and a verify that is
/// retried after the provider consumed the code reports the code as used. Implementations never retry them
/// unless the request certainly did not reach the provider; callers should not retry a result whose
/// <see cref="OtpError.MayHaveBeenAccepted"/> is <see langword="true"/>.
/// </para>
/// </remarks>
public interface IOtpClient
{
    /// <summary>Gets the name of the provider behind this client (<see cref="OtpProviderNames"/> for the built-in ones).</summary>
    string ProviderName { get; }

    /// <summary>Sends a new one-time password by SMS.</summary>
    /// <param name="request">The recipient and the message settings.</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>
    /// A result holding the <see cref="OtpChallenge"/> to keep until the user types the code, or the error.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<OtpSendResult> SendAsync(OtpSendRequest request, CancellationToken cancellationToken = default);

    /// <summary>Checks the code a user typed against the challenge returned by <see cref="SendAsync"/>.</summary>
    /// <param name="request">The challenge and the code.</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>The verification status; <see cref="OtpVerifyResult.IsVerified"/> is <see langword="true"/> only when the provider confirmed the code.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<OtpVerifyResult> VerifyAsync(OtpVerifyRequest request, CancellationToken cancellationToken = default);
}
