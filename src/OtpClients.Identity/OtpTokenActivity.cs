namespace OtpClients.Identity;

/// <summary>
/// What the OTP token provider did in the current scope (in ASP.NET Core, the current request): the last send and the
/// last check, so a page can tell the user why a code was refused (expired, too many attempts) after Identity answered
/// only "failed". Registered as a scoped service by <c>AddOtpTokenProvider</c>; inject it where the sign-in happens.
/// </summary>
public sealed class OtpTokenActivity
{
    /// <summary>
    /// Gets or sets the channel of the next code the token provider sends in this scope, then cleared: a page's "Call me
    /// instead" sets <see cref="OtpChannel.Voice"/> before asking Identity for a token, and the session's next code is a
    /// call (through a provider of the route that offers calls; every earlier code stays valid).
    /// <see langword="null"/>: the session's channel (SMS unless changed).
    /// </summary>
    public OtpChannel? NextChannel { get; set; }

    /// <summary>Gets the outcome of the last send in this scope, or <see langword="null"/>.</summary>
    public OtpSessionStartResult? LastSend { get; internal set; }

    /// <summary>
    /// Gets the outcome of the last check in this scope, or <see langword="null"/>: its
    /// <see cref="OtpVerifyResult.Status"/> says why a validation failed (<see cref="OtpVerificationStatus.InvalidCode"/>,
    /// <see cref="OtpVerificationStatus.Expired"/>, <see cref="OtpVerificationStatus.TooManyAttempts"/>, or
    /// <see cref="OtpVerificationStatus.NotFound"/> when no code was sent for that purpose).
    /// </summary>
    public OtpVerifyResult? LastCheck { get; internal set; }
}
