using Microsoft.Extensions.Logging;

namespace OtpClients.Diagnostics;

/// <summary>The SDK's log messages, source-generated. None carries a code, a secret or a full phone number.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "OTP {Operation} via {Provider} for {Phone}: {Outcome} in {ElapsedMs:0.0} ms")]
    public static partial void OperationCompleted(ILogger logger, string operation, string provider, string phone, string outcome, double elapsedMs);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "OTP {Operation} via {Provider} for {Phone} failed: {Outcome} (transient: {IsTransient}, may have been accepted: {MayHaveBeenAccepted}) in {ElapsedMs:0.0} ms")]
    public static partial void OperationFailed(ILogger logger, string operation, string provider, string phone, string outcome, bool isTransient, bool mayHaveBeenAccepted, double elapsedMs);

    [LoggerMessage(EventId = 1300, Level = LogLevel.Debug, Message = "OTP HTTP {Method} {Host}{Path} answered {Status} in {ElapsedMs:0.0} ms")]
    public static partial void HttpCompleted(ILogger logger, string method, string host, string path, int status, double elapsedMs);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Debug, Message = "OTP HTTP {Operation} failed after {ElapsedMs:0.0} ms: {ExceptionType}")]
    public static partial void HttpFailed(ILogger logger, string operation, double elapsedMs, string exceptionType);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Debug, Message = "OTP {Operation}: {Count} non-essential field(s) of the answer had an unexpected shape ({Kinds}) and were read as absent")]
    public static partial void OddFieldsIgnored(ILogger logger, string operation, int count, string kinds);

    [LoggerMessage(EventId = 1100, Level = LogLevel.Debug, Message = "OTP send failed over from {FromProvider} to {ToProvider} after {ErrorCode}")]
    public static partial void FailingOver(ILogger logger, string fromProvider, string toProvider, OtpErrorCode errorCode);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "OTP provider {Provider} refused the account ({ErrorCode}, provider code {ProviderCode}); the send failed over to {ToProvider}. Fix the provider's keys or top up its credit")]
    public static partial void AccountRefused(ILogger logger, string provider, OtpErrorCode errorCode, string providerCode, string toProvider);

    [LoggerMessage(EventId = 1400, Level = LogLevel.Information, Message = "OTP {Operation} for {Phone} refused by the send guard: {Rule} (retry after {RetryAfterSeconds:0} s)")]
    public static partial void GuardRefused(ILogger logger, string operation, string rule, string phone, double retryAfterSeconds);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "OTP send guard store could not be reached during a {Operation} ({ExceptionType}): {Consequence}")]
    public static partial void GuardStoreFailed(ILogger logger, string operation, string consequence, string exceptionType);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "OTP verification session store could not be reached during {Operation} ({ExceptionType}): {Consequence}")]
    public static partial void SessionStoreFailed(ILogger logger, string operation, string consequence, string exceptionType);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Warning, Message = "OTP send guard{Registration} has no spend cap: neither {Path}:AllowedRegions nor {Path}:MaxSendsPerHour is set, so a pumping bot that rotates numbers and IPs can send to any country, each number and IP within its budget. Set the countries you serve, or an hourly cap (docs/guard.md)")]
    public static partial void GuardWithoutSpendCap(ILogger logger, string registration, string path);

    [LoggerMessage(EventId = 1600, Level = LogLevel.Warning, Message = "OTP provider {Provider} demoted for region {Region}: {RecentSuccesses} of its last {RecentOutcomes} sends were verified, against a baseline of {Baseline:P0}; new sessions try the next provider of the route first (a few still probe it)")]
    public static partial void ProviderDemoted(ILogger logger, string provider, string region, long recentSuccesses, long recentOutcomes, double baseline);

    [LoggerMessage(EventId = 1601, Level = LogLevel.Warning, Message = "OTP provider {Provider} restored for region {Region}: {RecentSuccesses} of its last {RecentOutcomes} sends were verified; it takes its place in the route again")]
    public static partial void ProviderRestored(ILogger logger, string provider, string region, long recentSuccesses, long recentOutcomes);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Warning, Message = "OTP delivery health store could not be reached ({ExceptionType}): sends follow the configured order of each route until it is back")]
    public static partial void DeliveryStoreFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 1603, Level = LogLevel.Information, Message = "OTP delivery health store is reachable again")]
    public static partial void DeliveryStoreRecovered(ILogger logger);

    [LoggerMessage(EventId = 1200, Level = LogLevel.Debug, Message = "OTP {Provider} request retried (attempt {Attempt}) in {DelayMs} ms after {Reason}")]
    public static partial void Retrying(ILogger logger, string provider, int attempt, double delayMs, string reason);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Debug, Message = "OTP {Provider} circuit opened for {BreakSeconds} s after repeated failures")]
    public static partial void CircuitOpened(ILogger logger, string provider, double breakSeconds);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Debug, Message = "OTP {Provider} circuit closed")]
    public static partial void CircuitClosed(ILogger logger, string provider);
}

/// <summary>Writes the resilience events to the log.</summary>
internal sealed class LoggingResilienceEvents(ILogger logger) : Http.IOtpResilienceEvents
{
    public void OnRetry(string provider, int attempt, TimeSpan delay, string reason) => Log.Retrying(logger, provider, attempt, delay.TotalMilliseconds, reason);

    public void OnCircuitOpened(string provider, TimeSpan breakDuration) => Log.CircuitOpened(logger, provider, breakDuration.TotalSeconds);

    public void OnCircuitClosed(string provider) => Log.CircuitClosed(logger, provider);
}
