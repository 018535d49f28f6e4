namespace OtpClients;

/// <summary>
/// The circuit breaker of one provider: when too many calls fail within <see cref="SamplingDuration"/>, the circuit
/// opens for <see cref="BreakDuration"/> and calls fail fast with <see cref="OtpErrorCode.ProviderUnavailable"/>
/// (transient, certainly not sent), which is what failover listens for. Then one trial call decides whether it closes.
/// </summary>
/// <remarks>Failures are network errors, attempt timeouts, and HTTP 408, 429 and 5xx answers.</remarks>
public sealed class OtpCircuitBreakerOptions
{
    /// <summary>Gets or sets a value indicating whether the circuit breaker is on. Defaults to <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the share of failed calls, 0..1, that opens the circuit. Defaults to 0.5.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Gets or sets how many calls must be seen in <see cref="SamplingDuration"/> before the circuit may open. Defaults to 10. At least 2.</summary>
    public int MinimumThroughput { get; set; } = 10;

    /// <summary>Gets or sets the window in which failures are counted. Defaults to 30 seconds. At least 500 ms.</summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long the circuit stays open. Defaults to 15 seconds. At least 500 ms.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    internal void Validate(string prefix, List<string> errors)
    {
        if (FailureRatio is <= 0 or > 1 || double.IsNaN(FailureRatio))
        {
            errors.Add($"{prefix}.{nameof(FailureRatio)} must be greater than 0 and at most 1.");
        }

        if (MinimumThroughput < 2)
        {
            errors.Add($"{prefix}.{nameof(MinimumThroughput)} must be at least 2.");
        }

        if (SamplingDuration < TimeSpan.FromMilliseconds(500) || SamplingDuration > TimeSpan.FromDays(1))
        {
            errors.Add($"{prefix}.{nameof(SamplingDuration)} must be between 500 ms and 1 day.");
        }

        if (BreakDuration < TimeSpan.FromMilliseconds(500) || BreakDuration > TimeSpan.FromDays(1))
        {
            errors.Add($"{prefix}.{nameof(BreakDuration)} must be between 500 ms and 1 day.");
        }
    }
}
