using System.Diagnostics.CodeAnalysis;

namespace OtpClients;

/// <summary>The outcome of <see cref="IOtpClient.SendAsync"/>: a challenge on success, an error otherwise.</summary>
public sealed class OtpSendResult
{
    private OtpSendResult(OtpChallenge? challenge, OtpError? error)
    {
        Challenge = challenge;
        Error = error;
    }

    /// <summary>Gets a value indicating whether the provider accepted the send; <see langword="true"/> exactly when <see cref="Challenge"/> is not <see langword="null"/>.</summary>
    [MemberNotNullWhen(true, nameof(Challenge))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Challenge is not null;

    /// <summary>Gets the challenge to keep until the user types the code, on success.</summary>
    public OtpChallenge? Challenge { get; }

    /// <summary>Gets the reason of the failure, on failure.</summary>
    public OtpError? Error { get; }

    /// <summary>Creates a successful result.</summary>
    /// <param name="challenge">The challenge the provider issued.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="challenge"/> is <see langword="null"/>.</exception>
    public static OtpSendResult Success(OtpChallenge challenge)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        return new OtpSendResult(challenge, null);
    }

    /// <summary>Creates a failed result.</summary>
    /// <param name="error">Why the send failed.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is <see langword="null"/>.</exception>
    public static OtpSendResult Failure(OtpError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new OtpSendResult(null, error);
    }

    /// <inheritdoc />
    public override string ToString() => IsSuccess ? $"Success: {Challenge}" : $"Failure: {Error}";
}
