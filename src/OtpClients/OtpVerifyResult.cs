namespace OtpClients;

/// <summary>The outcome of <see cref="IOtpClient.VerifyAsync"/>.</summary>
/// <remarks>
/// <see cref="Status"/> is <see cref="OtpVerificationStatus.Failed"/> exactly when <see cref="Error"/> is not
/// <see langword="null"/>: the check itself failed, which is not the user's wrong code. Grant access only when
/// <see cref="IsVerified"/> is <see langword="true"/>.
/// </remarks>
public sealed class OtpVerifyResult
{
    private OtpVerifyResult(OtpVerificationStatus status, OtpError? error, string? providerStatus, string? phoneNumber = null)
    {
        Status = status;
        Error = error;
        ProviderStatus = providerStatus;
        PhoneNumber = phoneNumber;
    }

    /// <summary>Gets the outcome of the check.</summary>
    public OtpVerificationStatus Status { get; }

    /// <summary>Gets a value indicating whether the provider confirmed the code.</summary>
    public bool IsVerified => Status == OtpVerificationStatus.Verified;

    /// <summary>Gets why the check failed, when <see cref="Status"/> is <see cref="OtpVerificationStatus.Failed"/>; otherwise <see langword="null"/>.</summary>
    public OtpError? Error { get; }

    /// <summary>Gets the raw status the provider answered (its status field, as it came), when there was one.</summary>
    public string? ProviderStatus { get; }

    /// <summary>
    /// Gets the phone number the code was verified for, in E.164 form: set by verification sessions
    /// (<see cref="IOtpVerificationSessions.CheckAsync"/>) on success, from the challenge kept on the server, so the app
    /// knows which number it may trust. <see langword="null"/> otherwise. <see cref="ToString"/> masks it.
    /// </summary>
    public string? PhoneNumber { get; }

    /// <summary>Creates a result for a code the provider confirmed.</summary>
    /// <param name="providerStatus">The raw provider status.</param>
    /// <returns>The result.</returns>
    public static OtpVerifyResult Verified(string? providerStatus = null) =>
        new(OtpVerificationStatus.Verified, null, providerStatus);

    /// <summary>Creates a result for a code the provider confirmed for <paramref name="phoneNumber"/> (what verification sessions return).</summary>
    /// <param name="phoneNumber">The number the code was verified for, in E.164 form.</param>
    /// <param name="providerStatus">The raw provider status.</param>
    /// <returns>The result, with <see cref="PhoneNumber"/> set.</returns>
    /// <exception cref="ArgumentException"><paramref name="phoneNumber"/> is <see langword="null"/> or empty.</exception>
    public static OtpVerifyResult VerifiedFor(string phoneNumber, string? providerStatus = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(phoneNumber);
        return new(OtpVerificationStatus.Verified, null, providerStatus, phoneNumber);
    }

    /// <summary>Creates a result for a code that was not accepted (wrong, expired, used, …).</summary>
    /// <param name="status">Any status but <see cref="OtpVerificationStatus.Verified"/> and <see cref="OtpVerificationStatus.Failed"/>.</param>
    /// <param name="providerStatus">The raw provider status.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is <see cref="OtpVerificationStatus.Verified"/>, <see cref="OtpVerificationStatus.Failed"/> or undefined.</exception>
    public static OtpVerifyResult Rejected(OtpVerificationStatus status, string? providerStatus = null)
    {
        if (status is OtpVerificationStatus.Verified or OtpVerificationStatus.Failed || !Enum.IsDefined(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "A rejected verification needs a status other than Verified and Failed.");
        }

        return new(status, null, providerStatus);
    }

    /// <summary>Creates a result for a check that failed (network, provider, malformed answer).</summary>
    /// <param name="error">Why the check failed.</param>
    /// <param name="providerStatus">The raw provider status, when there was one.</param>
    /// <returns>The result, with <see cref="Status"/> <see cref="OtpVerificationStatus.Failed"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is <see langword="null"/>.</exception>
    public static OtpVerifyResult Failure(OtpError error, string? providerStatus = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(OtpVerificationStatus.Failed, error, providerStatus);
    }

    /// <inheritdoc />
    public override string ToString() =>
        Error is not null ? $"{Status}: {Error}"
        : PhoneNumber is not null ? $"{Status} for {OtpClients.PhoneNumber.Mask(PhoneNumber)} (provider status: {ProviderStatus ?? "none"})"
        : $"{Status} (provider status: {ProviderStatus ?? "none"})";
}
