namespace OtpClients.HealthChecks;

/// <summary>Settings of the OTP health check (<c>services.AddHealthChecks().AddOtpClient(configure: o =&gt; …)</c>).</summary>
public sealed class OtpHealthCheckOptions
{
    /// <summary>
    /// Gets or sets the share of failed calls, 0..1, within the breaker's sampling window at which a provider whose circuit
    /// is closed is reported <c>Degraded</c>. Defaults to 0.2. Greater than 0 and at most 1.
    /// </summary>
    public double DegradedFailureRatio { get; set; } = 0.2;

    /// <summary>
    /// Gets or sets how many calls the window must hold before <see cref="DegradedFailureRatio"/> is judged (one failed call
    /// out of one says little). Defaults to 5. At least 1.
    /// </summary>
    public int MinimumCalls { get; set; } = 5;

    internal void Validate()
    {
        if (DegradedFailureRatio is <= 0 or > 1 || double.IsNaN(DegradedFailureRatio))
        {
            throw new ArgumentOutOfRangeException(nameof(DegradedFailureRatio), DegradedFailureRatio, "OtpHealthCheckOptions.DegradedFailureRatio must be greater than 0 and at most 1.");
        }

        if (MinimumCalls < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumCalls), MinimumCalls, "OtpHealthCheckOptions.MinimumCalls must be at least 1.");
        }
    }
}
