using System.Globalization;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OtpClients.HealthChecks;

/// <summary>
/// Reports each provider of each OTP client from <see cref="IOtpProviderHealth"/>: <see cref="HealthStatus.Healthy"/> when
/// its circuit is closed, <see cref="HealthStatus.Degraded"/> when half-open or when recent calls failed at or above
/// <see cref="OtpHealthCheckOptions.DegradedFailureRatio"/>, and the registration's failure status (Unhealthy by default)
/// when open. The check's status is the worst of them. It sends nothing.
/// </summary>
internal sealed class OtpProviderHealthCheck(IOtpProviderHealth? health, OtpHealthCheckOptions options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failureStatus = context.Registration?.FailureStatus ?? HealthStatus.Unhealthy;
        if (health is null)
        {
            return Task.FromResult(new HealthCheckResult(failureStatus, "No OTP client is registered: call services.AddOtpClient(…)."));
        }

        var reports = health.GetReports();
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var description = new StringBuilder();
        var worst = HealthStatus.Healthy;
        foreach (var report in reports)
        {
            var status = StatusOf(report, failureStatus);
            worst = status < worst ? status : worst;
            var key = report.Registration is null ? report.ProviderName : report.Registration + "/" + report.ProviderName;
            data[key + ".status"] = status.ToString();
            data[key + ".circuit"] = report.CircuitState.ToString();
            data[key + ".failureRatio"] = Math.Round(report.FailureRatio, 3);
            data[key + ".calls"] = report.Calls;
            data[key + ".failures"] = report.Failures;
            if (report.OpenUntil is { } until)
            {
                data[key + ".openUntil"] = until.ToString("O", CultureInfo.InvariantCulture);
            }

            if (description.Length > 0)
            {
                description.Append("; ");
            }

            description.Append(key).Append(": ").Append(status).Append(" (circuit ").Append(report.CircuitState)
                .Append(", ").Append(report.Failures.ToString(CultureInfo.InvariantCulture)).Append('/')
                .Append(report.Calls.ToString(CultureInfo.InvariantCulture)).Append(" calls failed)");
        }

        if (reports.Count == 0)
        {
            description.Append("No OTP provider is registered.");
        }

        return Task.FromResult(new HealthCheckResult(worst, description.ToString(), data: data));
    }

    private HealthStatus StatusOf(OtpProviderHealthReport report, HealthStatus failureStatus) => report.CircuitState switch
    {
        OtpCircuitState.Open => failureStatus,
        OtpCircuitState.HalfOpen => HealthStatus.Degraded,
        _ when report.Calls >= options.MinimumCalls && report.FailureRatio >= options.DegradedFailureRatio => HealthStatus.Degraded,
        _ => HealthStatus.Healthy,
    };
}
