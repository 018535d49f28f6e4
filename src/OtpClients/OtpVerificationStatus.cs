namespace OtpClients;

/// <summary>The outcome of checking a code.</summary>
public enum OtpVerificationStatus
{
    /// <summary>The provider confirmed the code. The only status that grants access.</summary>
    Verified,

    /// <summary>The code is wrong. The user may try again, within the provider's attempt limit.</summary>
    InvalidCode,

    /// <summary>The code was right, or the challenge existed, but its time to live has passed. Send a new code.</summary>
    Expired,

    /// <summary>The code was already used. Send a new code.</summary>
    AlreadyUsed,

    /// <summary>The challenge was cancelled. Send a new code.</summary>
    Cancelled,

    /// <summary>Too many wrong attempts: the challenge is no longer usable. Send a new code.</summary>
    TooManyAttempts,

    /// <summary>The provider does not know the challenge.</summary>
    NotFound,

    /// <summary>The check itself failed (network, provider, malformed answer); <see cref="OtpVerifyResult.Error"/> says why. Not a user's wrong code.</summary>
    Failed,
}
