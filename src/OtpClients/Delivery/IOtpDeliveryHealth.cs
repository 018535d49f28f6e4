namespace OtpClients.Delivery;

/// <summary>
/// The delivery health of every registration that uses it (<c>otp.UseDeliveryHealth(…)</c>): per provider and region,
/// how many session sends were verified in time, and whether the provider is demoted. For dashboards, health checks and
/// tests. Registered as a singleton by <c>AddOtpClient</c>.
/// </summary>
public interface IOtpDeliveryHealth
{
    /// <summary>Reads the current figures of every provider and region that has any, for every registration with delivery health.</summary>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>One report per registration, provider and region. No phone number, IP or session appears in them.</returns>
    /// <exception cref="Exception">The store cannot be reached (whatever it throws; routing is not affected).</exception>
    Task<IReadOnlyList<OtpDeliveryHealthReport>> GetReportsAsync(CancellationToken cancellationToken = default);
}

/// <summary>The delivery figures of one provider for one region of one registration (<see cref="IOtpDeliveryHealth"/>).</summary>
public sealed class OtpDeliveryHealthReport
{
    internal OtpDeliveryHealthReport(string? registration, string providerName, string regionCode, DeliveryFigures figures, DeliveryVerdict verdict, TimeSpan window)
    {
        Registration = registration;
        ProviderName = providerName;
        RegionCode = regionCode;
        Sends = figures.Sends;
        Verified = figures.Verified;
        Resent = figures.Resent;
        Outcomes = figures.Outcomes;
        Conversion = figures.Conversion;
        RecentOutcomes = figures.RecentOutcomes;
        RecentConversion = figures.RecentConversion;
        RecentUpperBound = verdict.UpperBound;
        Baseline = verdict.Baseline;
        IsDemoted = verdict.IsDemoted;
        Window = window;
    }

    /// <summary>Gets the registration's name: the service key of a keyed <c>AddOtpClient(name, …)</c>, <see langword="null"/> for the default one.</summary>
    public string? Registration { get; }

    /// <summary>Gets the provider's name.</summary>
    public string ProviderName { get; }

    /// <summary>Gets the recipients' region (ISO 3166-1 alpha-2), or <c>001</c> for numbers of no region.</summary>
    public string RegionCode { get; }

    /// <summary>Gets the session sends the provider accepted for the region within <see cref="Window"/>.</summary>
    public long Sends { get; }

    /// <summary>Gets how many of <see cref="Sends"/> were verified in time.</summary>
    public long Verified { get; }

    /// <summary>Gets how many of <see cref="Sends"/> the user asked to have sent again.</summary>
    public long Resent { get; }

    /// <summary>Gets how many of <see cref="Sends"/> have a known outcome: verified, resent, or given up on after <see cref="OtpDeliveryHealthOptions.VerifyWithin"/>.</summary>
    public long Outcomes { get; }

    /// <summary>Gets the share of <see cref="Outcomes"/> that were verified; <see langword="null"/> without outcomes.</summary>
    public double? Conversion { get; }

    /// <summary>Gets the size of the recent sample: the newest outcomes, at least <see cref="OtpDeliveryHealthOptions.MinSends"/> when there are that many.</summary>
    public long RecentOutcomes { get; }

    /// <summary>Gets the share of the recent sample that was verified; <see langword="null"/> without outcomes.</summary>
    public double? RecentConversion { get; }

    /// <summary>Gets the upper 95 % bound of <see cref="RecentConversion"/>; <see langword="null"/> until the sample is big enough to judge.</summary>
    public double? RecentUpperBound { get; }

    /// <summary>Gets the conversion the provider is judged against (the better of its own older figures and the region's other providers); <see langword="null"/> when none has enough outcomes.</summary>
    public double? Baseline { get; }

    /// <summary>Gets a value indicating whether the provider is demoted for the region: new sessions try the other providers of the route first.</summary>
    public bool IsDemoted { get; }

    /// <summary>Gets the window the figures cover (<see cref="OtpDeliveryHealthOptions.Window"/>).</summary>
    public TimeSpan Window { get; }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{(Registration is null ? string.Empty : Registration + "/")}{ProviderName} {RegionCode}: {Verified}/{Outcomes} verified ({Sends} sent, {Resent} resent){(IsDemoted ? ", demoted" : string.Empty)}");
}

/// <summary>The <see cref="IOtpDeliveryHealth"/> over every registration's monitor.</summary>
internal sealed class OtpDeliveryHealth(IEnumerable<OtpDeliveryHealthMonitor> monitors) : IOtpDeliveryHealth
{
    public async Task<IReadOnlyList<OtpDeliveryHealthReport>> GetReportsAsync(CancellationToken cancellationToken = default)
    {
        var reports = new List<OtpDeliveryHealthReport>();
        foreach (var monitor in monitors)
        {
            reports.AddRange(await monitor.GetReportsAsync(cancellationToken).ConfigureAwait(false));
        }

        return reports;
    }
}
