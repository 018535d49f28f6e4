namespace OtpClients;

/// <summary>
/// The health of every provider of every OTP client registered by <c>AddOtpClient</c>, read from the state of each
/// provider's circuit breaker and the SDK's own count of recent calls: nothing is sent to find out (sends are billed).
/// Registered as a singleton by <c>AddOtpClient</c>; the <c>OtpClients.HealthChecks</c> package turns it into an
/// ASP.NET Core health check.
/// </summary>
public interface IOtpProviderHealth
{
    /// <summary>Gets the current state of each provider of each registration, in the order they were registered.</summary>
    /// <returns>One report per provider and registration. Reports carry no secrets and no phone numbers.</returns>
    IReadOnlyList<OtpProviderHealthReport> GetReports();
}

/// <summary>The state of a provider's circuit breaker.</summary>
public enum OtpCircuitState
{
    /// <summary>Calls flow.</summary>
    Closed,

    /// <summary>The break is over: the next call is a trial that closes the circuit if it succeeds, or opens it again.</summary>
    HalfOpen,

    /// <summary>Too many recent calls failed: calls fail fast with <see cref="OtpErrorCode.ProviderUnavailable"/> until the break is over.</summary>
    Open,

    /// <summary>The circuit breaker is off (<see cref="OtpCircuitBreakerOptions.Enabled"/>).</summary>
    Disabled,
}

/// <summary>The health of one provider of one OTP client registration, as <see cref="IOtpProviderHealth"/> reports it.</summary>
public sealed class OtpProviderHealthReport
{
    internal OtpProviderHealthReport(string? registration, string providerName, OtpCircuitState circuitState, DateTimeOffset? openUntil, int calls, int failures, TimeSpan window)
    {
        Registration = registration;
        ProviderName = providerName;
        CircuitState = circuitState;
        OpenUntil = openUntil;
        Calls = calls;
        Failures = failures;
        Window = window;
    }

    /// <summary>Gets the registration's name: the service key of a keyed <c>AddOtpClient(name, …)</c>, <see langword="null"/> for the default one.</summary>
    public string? Registration { get; }

    /// <summary>Gets the provider's name (<see cref="IOtpClient.ProviderName"/>).</summary>
    public string ProviderName { get; }

    /// <summary>Gets the state of the provider's circuit breaker.</summary>
    public OtpCircuitState CircuitState { get; }

    /// <summary>Gets when the break ends, while <see cref="CircuitState"/> is <see cref="OtpCircuitState.Open"/>; otherwise <see langword="null"/>.</summary>
    public DateTimeOffset? OpenUntil { get; }

    /// <summary>
    /// Gets how many HTTP attempts reached the provider (or failed trying) within <see cref="Window"/>. Calls refused by
    /// an open circuit are not counted.
    /// </summary>
    public int Calls { get; }

    /// <summary>
    /// Gets how many of <see cref="Calls"/> failed the way the circuit breaker counts failures: network errors, attempt
    /// timeouts, HTTP 408, 429 and 5xx (not a per-recipient limit, and not a user's wrong code).
    /// </summary>
    public int Failures { get; }

    /// <summary>Gets <see cref="Failures"/> / <see cref="Calls"/>, 0 when there were no calls.</summary>
    public double FailureRatio => Calls == 0 ? 0 : (double)Failures / Calls;

    /// <summary>Gets the sliding window the counts cover: the breaker's <see cref="OtpCircuitBreakerOptions.SamplingDuration"/>.</summary>
    public TimeSpan Window { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{(Registration is null ? string.Empty : Registration + "/")}{ProviderName}: {CircuitState}, {Failures}/{Calls} failed in {Window.TotalSeconds:0.#} s";
}
