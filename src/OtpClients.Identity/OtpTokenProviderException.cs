namespace OtpClients.Identity;

/// <summary>
/// Thrown by the OTP token provider when a code could not be sent, or could not be checked because the provider failed
/// (not because the code was wrong). A failed check is not a wrong code, so Identity's lockout does not count it. The
/// message names the error code and never holds a phone number or a code.
/// </summary>
public sealed class OtpTokenProviderException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="OtpTokenProviderException"/> class.</summary>
    /// <param name="error">What went wrong.</param>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is <see langword="null"/>.</exception>
    public OtpTokenProviderException(OtpError error)
        : base(Describe(error))
    {
        Error = error;
    }

    /// <summary>Gets what went wrong: <see cref="OtpError.Code"/> tells apart a refusal of the send guard (<see cref="OtpErrorCode.RateLimited"/>, <see cref="OtpErrorCode.Blocked"/>) from a provider outage (<see cref="OtpErrorCode.ProviderUnavailable"/>).</summary>
    public OtpError Error { get; }

    private static string Describe(OtpError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return $"The one-time password could not be sent or checked: {error.Code}: {error.Message}";
    }
}
