namespace OtpClients;

/// <summary>
/// The names to subscribe to for OtpClients' traces and metrics (OpenTelemetry: <c>AddSource(OtpDiagnostics.ActivitySourceName)</c>,
/// <c>AddMeter(OtpDiagnostics.MeterName)</c>). No tag, log or trace ever holds a code, a credential or a full phone number.
/// </summary>
public static class OtpDiagnostics
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> name: <c>OtpClients</c>. Activities: <c>otp.send</c>, <c>otp.verify</c>, and <c>otp.&lt;operation&gt;</c> for the provider extras.</summary>
    public const string ActivitySourceName = "OtpClients";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> name: <c>OtpClients</c>. Instruments: <c>otp.sends</c>, <c>otp.verifications</c>, <c>otp.duration</c>, <c>otp.guard.refusals</c>, and delivery health's <c>otp.delivery.sends</c>, <c>otp.delivery.verifications</c>, <c>otp.delivery.resends</c>, <c>otp.delivery.conversion</c>, <c>otp.delivery.demoted</c>, <c>otp.delivery.demotions</c>, <c>otp.delivery.restorations</c>.</summary>
    public const string MeterName = "OtpClients";

    /// <summary>The tag naming the provider (<see cref="IOtpClient.ProviderName"/>).</summary>
    public const string ProviderTag = "otp.provider";

    /// <summary>The tag naming the operation (<c>send</c>, <c>verify</c>, <c>cancel</c>, …).</summary>
    public const string OperationTag = "otp.operation";

    /// <summary>
    /// The tag naming the outcome: <c>success</c>, a <see cref="OtpVerificationStatus"/> (<c>Verified</c>, <c>InvalidCode</c>, …),
    /// an <see cref="OtpErrorCode"/> (<c>Timeout</c>, …) when the operation failed, or <c>cancelled</c>.
    /// </summary>
    public const string OutcomeTag = "otp.outcome";

    /// <summary>The tag of the <c>otp.delivery.*</c> instruments naming the recipients' region (ISO 3166-1 alpha-2, or <c>001</c> for numbers of no region).</summary>
    public const string RegionTag = "otp.region";

    /// <summary>The tag of <c>otp.guard.refusals</c> naming the send guard's rule that refused (<see cref="Guard.OtpGuardRules"/>).</summary>
    public const string GuardRuleTag = "otp.guard.rule";
}
