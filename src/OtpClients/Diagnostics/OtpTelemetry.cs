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

    /// <summary>Counts one refusal of the send guard: tagged by rule and operation, never by number.</summary>
    public static void RecordGuardRefusal(string rule, string operation) =>
        GuardRefusals.Add(1, new KeyValuePair<string, object?>(OtpDiagnostics.GuardRuleTag, rule), new KeyValuePair<string, object?>(OtpDiagnostics.OperationTag, operation));

    /// <summary>Starts tracking an operation: its activity and start time. Dispose the scope when the operation ends.</summary>
    public static OtpScope Begin(in OtpCall call)
    {
        var activity = ActivitySource.StartActivity(call.ActivityName, ActivityKind.Client);
        activity?.SetTag(OtpDiagnostics.ProviderTag, call.Provider);
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
internal readonly record struct OtpCall(string Operation, string ActivityName, string Provider, string? Phone, ILogger Logger, TimeProvider TimeProvider);
