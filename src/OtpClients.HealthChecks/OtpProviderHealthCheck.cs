using System.Globalization;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OtpClients.Delivery;

namespace OtpClients.HealthChecks;

/// <summary>
/// Reports each provider of each OTP client from <see cref="IOtpProviderHealth"/>: <see cref="HealthStatus.Healthy"/> when
/// its circuit is closed, <see cref="HealthStatus.Degraded"/> when half-open or when recent calls failed at or above
/// <see cref="OtpHealthCheckOptions.DegradedFailureRatio"/>, and the registration's failure status (Unhealthy by default)
/// when open; and, with delivery health, <see cref="HealthStatus.Degraded"/> for a provider demoted for a region (its
/// figures in the data). The check's status is the worst of them. It sends nothing.
/// </summary>
internal sealed class OtpProviderHealthCheck(IOtpProviderHealth? health, IOtpDeliveryHealth? delivery, OtpHealthCheckOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failureStatus = context.Registration?.FailureStatus ?? HealthStatus.Unhealthy;
        if (health is null)
        {
            return new HealthCheckResult(failureStatus, "No OTP client is registered: call services.AddOtpClient(…).");
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

        if (delivery is not null)
        {
            worst = await AddDeliveryAsync(delivery, data, description, worst, cancellationToken).ConfigureAwait(false);
        }

        return new HealthCheckResult(worst, description.ToString(), data: data);
    }

    /// <summary>Reports each provider demoted by delivery health as Degraded, with its figures; a store it cannot read only says so.</summary>
    private static async Task<HealthStatus> AddDeliveryAsync(IOtpDeliveryHealth delivery, Dictionary<string, object> data, StringBuilder description, HealthStatus worst, CancellationToken cancellationToken)
    {
        IReadOnlyList<OtpDeliveryHealthReport> reports;
        try
        {
            reports = await delivery.GetReportsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Delivery health then routes by the configured order: nothing is refused, so the status is unchanged.
            data["delivery.store"] = "unavailable: " + ex.GetType().Name;
            description.Append("; delivery health: store unavailable, routes in configured order");
            return worst;
        }

        foreach (var report in reports.Where(r => r.IsDemoted))
        {
            var key = (report.Registration is null ? report.ProviderName : report.Registration + "/" + report.ProviderName) + ".delivery." + report.RegionCode;
            data[key + ".status"] = nameof(HealthStatus.Degraded);
            data[key + ".sends"] = report.Sends;
            data[key + ".verified"] = report.Verified;
            data[key + ".resent"] = report.Resent;
            data[key + ".recentConversion"] = Math.Round(report.RecentConversion ?? 0, 3);
            data[key + ".baseline"] = Math.Round(report.Baseline ?? 0, 3);
            if (description.Length > 0)
            {
                description.Append("; ");
            }

            description.Append(key).Append(": Degraded (demoted: ")
                .Append(report.Verified.ToString(CultureInfo.InvariantCulture)).Append('/')
                .Append(report.Outcomes.ToString(CultureInfo.InvariantCulture)).Append(" sends verified, baseline ")
                .Append((report.Baseline ?? 0).ToString("P0", CultureInfo.InvariantCulture)).Append(')');
            worst = worst < HealthStatus.Degraded ? worst : HealthStatus.Degraded;
        }

        return worst;
    }

    private HealthStatus StatusOf(OtpProviderHealthReport report, HealthStatus failureStatus) => report.CircuitState switch
    {
        OtpCircuitState.Open => failureStatus,
        OtpCircuitState.HalfOpen => HealthStatus.Degraded,
        _ when report.Calls >= options.MinimumCalls && report.FailureRatio >= options.DegradedFailureRatio => HealthStatus.Degraded,
        _ => HealthStatus.Healthy,
    };
}
