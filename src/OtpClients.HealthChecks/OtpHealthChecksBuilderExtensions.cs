using Microsoft.Extensions.Diagnostics.HealthChecks;
using OtpClients;
using OtpClients.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the OTP providers' health to ASP.NET Core health checks.</summary>
public static class OtpHealthChecksBuilderExtensions
{
    /// <summary>The default name of the check.</summary>
    public const string DefaultName = "otp";

    /// <summary>
    /// Adds a health check that reports every provider of every OTP client registered by <c>AddOtpClient</c>, from its
    /// circuit breaker's state and the SDK's count of recent failures (<see cref="IOtpProviderHealth"/>): Healthy when the
    /// circuit is closed, Degraded when half-open or when recent calls failed above
    /// <see cref="OtpHealthCheckOptions.DegradedFailureRatio"/>, <paramref name="failureStatus"/> when open; with delivery health
    /// (<c>otp.UseDeliveryHealth</c>), Degraded for a provider demoted for a region, with its figures. It sends no
    /// SMS (sends are billed). Its data holds, per provider, the status, circuit state, failure ratio and counts; no
    /// secrets and no phone numbers.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name. Defaults to <see cref="DefaultName"/>.</param>
    /// <param name="failureStatus">
    /// The status of an open circuit. Defaults to <see cref="HealthStatus.Unhealthy"/>. With failover, where one provider's
    /// open circuit leaves the next one sending, pass <see cref="HealthStatus.Degraded"/> if a readiness probe acts on the
    /// check: otherwise one provider's outage takes every instance out of the load balancer at once.
    /// </param>
    /// <param name="tags">Tags to filter checks by (for example a readiness endpoint's).</param>
    /// <param name="configure">Adjusts the thresholds.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting of <paramref name="configure"/> is out of range (the message names it).</exception>
    public static IHealthChecksBuilder AddOtpClient(
        this IHealthChecksBuilder builder,
        string name = DefaultName,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        Action<OtpHealthCheckOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var options = new OtpHealthCheckOptions();
        configure?.Invoke(options);
        options.Validate();
        return builder.Add(new HealthCheckRegistration(
            name,
            sp => new OtpProviderHealthCheck(sp.GetService<IOtpProviderHealth>(), sp.GetService<OtpClients.Delivery.IOtpDeliveryHealth>(), options),
            failureStatus ?? HealthStatus.Unhealthy,
            tags));
    }
}
