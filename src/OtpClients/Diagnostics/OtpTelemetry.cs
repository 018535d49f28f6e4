using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace OtpClients.Diagnostics;

/// <summary>Traces, metrics and the one Information log line of every OTP operation. Tags carry provider, operation and outcome only.</summary>
internal static class OtpTelemetry
{
    public const string Success = "success";
    public const string Cancelled = "cancelled";

    private static readonly string? Version = typeof(OtpTelemetry).Assembly.GetName().Version?.ToString();

    public static readonly ActivitySource ActivitySource = new(OtpDiagnostics.ActivitySourceName, Version);

    public static readonly Meter Meter = new(OtpDiagnostics.MeterName, Version);

    private static readonly Counter<long> Sends = Meter.CreateCounter<long>("otp.sends", "{send}", "OTP sends, by provider and outcome.");

    private static readonly Counter<long> Verifications = Meter.CreateCounter<long>("otp.verifications", "{verification}", "OTP verifications, by provider and outcome.");

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("otp.duration", "s", "Duration of OTP operations, retries included, by provider, operation and outcome.");

    private static readonly Counter<long> GuardRefusals = Meter.CreateCounter<long>("otp.guard.refusals", "{refusal}", "Sends and verifies the send guard refused before any HTTP call, by rule and operation.");

    private static readonly Histogram<int> SmsSegments = Meter.CreateHistogram<int>("otp.sms.segments", "{segment}", "SMS segments of each message the SDK composed (otp.UseMessages), measured on the final text, by provider and encoding.");

    private static readonly Counter<long> DeliverySends = Meter.CreateCounter<long>("otp.delivery.sends", "{send}", "Sends of verification sessions (first sends and resends), by provider, region and kind.");

    private static readonly Counter<long> DeliveryVerifications = Meter.CreateCounter<long>("otp.delivery.verifications", "{verification}", "Session sends verified within DeliveryHealth:VerifyWithin, by provider and region.");

    private static readonly Counter<long> DeliveryResends = Meter.CreateCounter<long>("otp.delivery.resends", "{resend}", "Session sends the user asked to have sent again (counted against the provider that sent), by provider and region.");

    private static readonly Counter<long> DeliveryDemotions = Meter.CreateCounter<long>("otp.delivery.demotions", "{demotion}", "Providers demoted for a region by delivery health (as this instance saw it), by provider and region.");

    private static readonly Counter<long> DeliveryRestorations = Meter.CreateCounter<long>("otp.delivery.restorations", "{restoration}", "Demoted providers restored for a region, by provider and region.");

    /// <summary>The last conversion each series was judged at by this instance (provider, region) → recent conversion.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Provider, string Region), double> Conversions = new();

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Provider, string Region), int> Demoted = new();

    static OtpTelemetry()
    {
        Meter.CreateObservableGauge("otp.delivery.conversion", ObserveConversions, "1", "Share of a provider's recent session sends to a region that were verified in time, as last judged by delivery health.");
        Meter.CreateObservableGauge("otp.delivery.demoted", ObserveDemoted, "1", "1 while a provider is demoted for a region by delivery health, else 0.");
    }

    private static IEnumerable<Measurement<double>> ObserveConversions()
    {
        foreach (var ((provider, region), value) in Conversions)
        {
            yield return new Measurement<double>(value, new KeyValuePair<string, object?>(OtpDiagnostics.ProviderTag, provider), new KeyValuePair<string, object?>(OtpDiagnostics.RegionTag, region));
        }
    }

    private static IEnumerable<Measurement<int>> ObserveDemoted()
    {
        foreach (var ((provider, region), value) in Demoted)
        {
            yield return new Measurement<int>(value, new KeyValuePair<string, object?>(OtpDiagnostics.ProviderTag, provider), new KeyValuePair<string, object?>(OtpDiagnostics.RegionTag, region));
        }
    }

    /// <summary>Counts a session's send, verification or resend for delivery health: tagged by provider and region, never by number.</summary>
    public static void RecordDelivery(string provider, string region, Delivery.OtpDeliveryOutcome outcome, bool resend)
    {
        var providerTag = new KeyValuePair<string, object?>(OtpDiagnostics.ProviderTag, provider);
        var regionTag = new KeyValuePair<string, object?>(OtpDiagnostics.RegionTag, region);
        switch (outcome)
        {
            case Delivery.OtpDeliveryOutcome.Sent:
                DeliverySends.Add(1, providerTag, regionTag, new KeyValuePair<string, object?>("otp.delivery.kind", resend ? "resend" : "first"));
                break;
            case Delivery.OtpDeliveryOutcome.Verified:
                DeliveryVerifications.Add(1, providerTag, regionTag);
                break;
            default:
                DeliveryResends.Add(1, providerTag, regionTag);
                break;
        }
    }

    /// <summary>Records a series' judged conversion and whether it is demoted; counts a change of state.</summary>
    public static void RecordDeliveryVerdict(string provider, string region, double? conversion, bool demoted, bool changed)
    {
        if (conversion is { } value)
        {
            Conversions[(provider, region)] = value;
        }

        Demoted[(provider, region)] = demoted ? 1 : 0;
        if (changed)
        {
            (demoted ? DeliveryDemotions : DeliveryRestorations).Add(1, new KeyValuePair<string, object?>(OtpDiagnostics.ProviderTag, provider), new KeyValuePair<string, object?>(OtpDiagnostics.RegionTag, region));
        }
    }

    /// <summary>Records the segments of a composed message: tagged by provider and encoding, never by text or code.</summary>
    public static void RecordSegments(string provider, Messages.SmsMeasure measure) =>
        SmsSegments.Record(
            measure.Segments,
            new KeyValuePair<string, object?>(OtpDiagnostics.ProviderTag, provider),
            new KeyValuePair<string, object?>("otp.sms.encoding", measure.Encoding == Messages.SmsEncoding.Gsm7 ? "gsm7" : "ucs2"));

    /// <summary>Counts one refusal of the send guard: tagged by rule and operation, never by number.</summary>
    public static void RecordGuardRefusal(string rule, string operation) =>
        GuardRefusals.Add(1, new KeyValuePair<string, object?>(OtpDiagnostics.GuardRuleTag, rule), new KeyValuePair<string, object?>(OtpDiagnostics.OperationTag, operation));

    /// <summary>The tag of a send's channel: <c>sms</c>, <c>voice</c> or <c>whatsapp</c>.</summary>
    public const string ChannelTag = "otp.channel";

    /// <summary>A channel's tag value.</summary>
    public static string ChannelName(OtpChannel channel) => channel switch
    {
        OtpChannel.Voice => "voice",
        OtpChannel.WhatsApp => "whatsapp",
        _ => "sms",
    };

    /// <summary>Starts tracking an operation: its activity and start time. Dispose the scope when the operation ends.</summary>
    public static OtpScope Begin(in OtpCall call)
    {
        var activity = ActivitySource.StartActivity(call.ActivityName, ActivityKind.Client);
        activity?.SetTag(OtpDiagnostics.ProviderTag, call.Provider);
        if (call.Operation == "send")
        {
            activity?.SetTag(ChannelTag, ChannelName(call.Channel));
        }

        return new OtpScope(call, activity, call.TimeProvider.GetTimestamp());
    }

    /// <summary>Records an operation's outcome: counters, duration, activity tags and status, and its log line.</summary>
    internal static void Record(Activity? activity, in OtpCall call, string outcome, OtpError? error, long start)
    {
        var elapsed = call.TimeProvider.GetElapsedTime(start);
        var tags = new TagList
        {
            { OtpDiagnostics.ProviderTag, call.Provider },
            { OtpDiagnostics.OutcomeTag, outcome },
        };
        if (call.Operation == "send")
        {
            tags.Add(ChannelTag, ChannelName(call.Channel));
            Sends.Add(1, tags);
        }
        else if (call.Operation == "verify")
        {
            Verifications.Add(1, tags);
        }

        tags.Add(OtpDiagnostics.OperationTag, call.Operation);
        Duration.Record(elapsed.TotalSeconds, tags);

        if (activity is not null)
        {
            activity.SetTag(OtpDiagnostics.OutcomeTag, outcome);
            if (error is not null)
            {
                activity.SetStatus(ActivityStatusCode.Error, error.Code.ToString());
                activity.SetTag("error.type", error.Code.ToString());
            }
        }

        if (!call.Logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var phone = call.Phone is null ? "-" : PhoneNumber.Mask(call.Phone);
        if (error is null)
        {
            Log.OperationCompleted(call.Logger, call.Operation, call.Provider, phone, outcome, elapsed.TotalMilliseconds);
        }
        else
        {
            Log.OperationFailed(call.Logger, call.Operation, call.Provider, phone, outcome, error.IsTransient, error.MayHaveBeenAccepted, elapsed.TotalMilliseconds);
        }
    }
}

/// <summary>
/// One tracked operation: <c>using var scope = OtpTelemetry.Begin(call);</c> then <c>return scope.Done(result);</c>.
/// A scope disposed without an outcome (the caller cancelled, or a bug threw) records <c>cancelled</c>.
/// </summary>
internal struct OtpScope(OtpCall call, Activity? activity, long start) : IDisposable
{
    private bool completed;

    public OtpSendResult Done(OtpSendResult result) => Record(result, result.IsSuccess ? OtpTelemetry.Success : result.Error.Code.ToString(), result.Error);

    public OtpVerifyResult Done(OtpVerifyResult result) => Record(result, result.Error?.Code.ToString() ?? result.Status.ToString(), result.Error);

    public OtpCancelResult Done(OtpCancelResult result) => Record(result, result.IsSuccess ? OtpTelemetry.Success : result.Error.Code.ToString(), result.Error);

    public OtpResult<T> Done<T>(OtpResult<T> result)
        where T : notnull => Record(result, result.IsSuccess ? OtpTelemetry.Success : result.Error.Code.ToString(), result.Error);

    public void Dispose()
    {
        if (!completed)
        {
            completed = true;
            OtpTelemetry.Record(activity, call, OtpTelemetry.Cancelled, null, start);
        }

        activity?.Dispose();
    }

    private TResult Record<TResult>(TResult result, string outcome, OtpError? error)
    {
        completed = true;
        OtpTelemetry.Record(activity, call, outcome, error, start);
        return result;
    }
}

/// <summary>Describes one tracked call. <paramref name="Phone"/> is masked before it is logged.</summary>
internal readonly record struct OtpCall(string Operation, string ActivityName, string Provider, string? Phone, ILogger Logger, TimeProvider TimeProvider, OtpChannel Channel = OtpChannel.Sms);
