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

    /// <summary>Runs an operation inside its activity, then records its outcome, duration and log line.</summary>
    public static async Task<TResult> TrackAsync<TClient, TArg, TResult>(
        TClient client,
        TArg argument,
        Func<TClient, TArg, CancellationToken, Task<TResult>> operation,
        Func<TResult, OtpError?> error,
        Func<TResult, string> outcome,
        OtpCall call,
        CancellationToken cancellationToken)
    {
        using var activity = ActivitySource.StartActivity(call.ActivityName, ActivityKind.Client);
        activity?.SetTag(OtpDiagnostics.ProviderTag, call.Provider);
        var start = call.TimeProvider.GetTimestamp();
        try
        {
            var result = await operation(client, argument, cancellationToken).ConfigureAwait(false);
            var failure = error(result);
            Record(activity, call, outcome(result), failure, start);
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Record(activity, call, Cancelled, null, start);
            throw;
        }
    }

    private static void Record(Activity? activity, OtpCall call, string outcome, OtpError? error, long start)
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

/// <summary>Describes one tracked call. <paramref name="Phone"/> is masked before it is logged.</summary>
internal readonly record struct OtpCall(string Operation, string ActivityName, string Provider, string? Phone, ILogger Logger, TimeProvider TimeProvider);

/// <summary>How each result type reads as an outcome (cached delegates: no allocation per call).</summary>
internal static class Outcomes
{
    public static readonly Func<OtpSendResult, OtpError?> SendError = static r => r.Error;
    public static readonly Func<OtpSendResult, string> Send = static r => r.IsSuccess ? OtpTelemetry.Success : r.Error.Code.ToString();
    public static readonly Func<OtpVerifyResult, OtpError?> VerifyError = static r => r.Error;
    public static readonly Func<OtpVerifyResult, string> Verify = static r => r.Error?.Code.ToString() ?? r.Status.ToString();
    public static readonly Func<OtpCancelResult, OtpError?> CancelError = static r => r.Error;
    public static readonly Func<OtpCancelResult, string> Cancel = static r => r.IsSuccess ? OtpTelemetry.Success : r.Error.Code.ToString();

    public static Func<OtpResult<T>, OtpError?> ResultError<T>()
        where T : notnull => ResultOutcomes<T>.Error;

    public static Func<OtpResult<T>, string> Result<T>()
        where T : notnull => ResultOutcomes<T>.Outcome;

    private static class ResultOutcomes<T>
        where T : notnull
    {
        public static readonly Func<OtpResult<T>, OtpError?> Error = static r => r.Error;
        public static readonly Func<OtpResult<T>, string> Outcome = static r => r.IsSuccess ? OtpTelemetry.Success : r.Error.Code.ToString();
    }
}
