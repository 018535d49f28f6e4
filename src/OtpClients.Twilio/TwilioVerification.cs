namespace OtpClients.Twilio;

/// <summary>A Twilio verification as <see cref="TwilioVerifyOtpClient.GetAsync"/> read it.</summary>
/// <param name="Sid">The verification SID (<c>VE…</c>).</param>
/// <param name="Status">Twilio's status: <c>pending</c>, <c>approved</c>, <c>canceled</c>, <c>max_attempts_reached</c>, <c>deleted</c>, <c>failed</c> or <c>expired</c>.</param>
/// <param name="Valid">Twilio's <c>valid</c>: whether the verification was approved.</param>
/// <param name="CreatedAt">When Twilio created it, when it said.</param>
public sealed record TwilioVerification(string Sid, string Status, bool Valid, DateTimeOffset? CreatedAt);

/// <summary>The result of <see cref="TwilioVerifyOtpClient.GetAsync"/>: the verification, or the error.</summary>
/// <param name="Verification">The verification; <see langword="null"/> on failure.</param>
/// <param name="Error">The error; <see langword="null"/> on success.</param>
public sealed record TwilioVerificationResult(TwilioVerification? Verification, OtpError? Error)
{
    /// <summary>Gets a value indicating whether the verification was read.</summary>
    public bool IsSuccess => Verification is not null && Error is null;
}
