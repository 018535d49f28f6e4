using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpClients.Diagnostics;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Telemetry;
using Polly.Timeout;

namespace OtpClients.Http;

/// <summary>
/// The resilience of one provider's <see cref="HttpClient"/>, through Microsoft.Extensions.Http.Resilience
/// (<c>AddResilienceHandler</c>): total timeout → retry → circuit breaker → attempt timeout. The pipeline is kept by
/// the library's registry per client (so the breaker outlives handler renewal, one per provider and registration) and
/// is rebuilt when the provider's options reload.
/// </summary>
/// <remarks>
/// Sending an OTP and checking one are not idempotent, so a retry happens only when it cannot send or check twice:
/// a connection that failed before the request was written, HTTP 429 and 503 (which say the request was not
/// processed; <c>Retry-After</c> is honoured unless it outlasts what is left of the total timeout), and any failure of
/// a read-only request (<see cref="OtpOperation.IsReadOnly"/>, carried on the request). Everything else is answered once.
/// </remarks>
internal static class OtpResilience
{
    /// <summary>The name of the resilience handler on every provider client.</summary>
    public const string PipelineName = "otp";

    /// <summary>When the pipeline started with the current request (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    private static readonly ResiliencePropertyKey<long> StartKey = new("OtpClients.Start");

    /// <summary>Adds the provider's resilience handler, built from the named options and rebuilt when they reload.</summary>
    public static IHttpClientBuilder AddOtpResilience<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(this IHttpClientBuilder http, string providerName)
        where TOptions : OtpProviderOptions
    {
        var optionsName = http.Name;
        http.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<TelemetryOptions>, QuietAttemptTelemetry>());
        http.AddResilienceHandler(PipelineName, (builder, context) =>
        {
            context.EnableReloads<TOptions>(optionsName);
            var options = context.GetOptions<TOptions>(optionsName);
            var services = context.ServiceProvider;
            var events = new LoggingResilienceEvents(services.GetRequiredService<ILoggerFactory>().CreateLogger("OtpClients.Resilience"));
            var health = services.GetService<OtpProviderHealthMonitor>()?.Get(optionsName, options.CircuitBreaker);
            health?.Reset(options.CircuitBreaker);
            Configure(builder, options, providerName, services.GetRequiredService<TimeProvider>(), events, health);
        });
        return http;
    }

    /// <summary>Adds the strategies to a pipeline builder (also used alone, by tests and benchmarks).</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "AddStrategy validates StartStampOptions with data annotations; it has no members to validate, so trimming removes nothing it needs.")]
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, OtpProviderOptions options, string providerName, TimeProvider timeProvider, IOtpResilienceEvents? events = null, ProviderHealthTracker? health = null)
    {
        builder.AddStrategy(_ => new StartStamp(timeProvider), new StartStampOptions());
        builder.AddTimeout(new TimeoutStrategyOptions { Name = "total", Timeout = options.TotalTimeout });
        if (options.MaxRetryAttempts > 0)
        {
            var total = options.TotalTimeout;
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "retry",
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                ShouldHandle = args => ShouldRetryAsync(args.Outcome, args.Context, total, timeProvider, options.MaxResponseBytes),
                DelayGenerator = args => new ValueTask<TimeSpan?>(RetryAfter(args.Outcome, timeProvider)),
                OnRetry = args =>
                {
                    events?.OnRetry(providerName, args.AttemptNumber + 1, args.RetryDelay, Describe(args.Outcome));
                    return default;
                },
            });
        }

        var breaker = options.CircuitBreaker;
        if (breaker.Enabled)
        {
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                Name = "circuit-breaker",
                FailureRatio = breaker.FailureRatio,
                MinimumThroughput = breaker.MinimumThroughput,
                SamplingDuration = breaker.SamplingDuration,
                BreakDuration = breaker.BreakDuration,
                // The breaker sees every attempt it lets through: its verdict also feeds the providers' health.
                ShouldHandle = args => ClassifyAsync(args.Outcome, args.Context, options.MaxResponseBytes, health),
                OnOpened = args =>
                {
                    health?.Opened(args.BreakDuration);
                    events?.OnCircuitOpened(providerName, args.BreakDuration);
                    return default;
                },
                OnHalfOpened = _ =>
                {
                    health?.HalfOpened();
                    return default;
                },
                OnClosed = _ =>
                {
                    health?.Closed();
                    events?.OnCircuitClosed(providerName);
                    return default;
                },
            });
        }

        else if (health is not null)
        {
            // No breaker to classify the attempts: a strategy in its place does it for the providers' health.
            builder.AddStrategy(_ => new HealthRecorder(health, options.MaxResponseBytes), new HealthRecorderOptions());
        }

        builder.AddTimeout(new TimeoutStrategyOptions { Name = "attempt", Timeout = options.AttemptTimeout });
    }

    /// <summary>
    /// Decides whether an attempt may be tried again: <see cref="ShouldRetry"/>, and never when the answer is a
    /// per-recipient limit (its body holds one of the operation's <see cref="OtpOperation.RecipientLimitMarkers"/>),
    /// whatever its status: retrying it, or failing it over, would text the same person again.
    /// </summary>
    internal static async ValueTask<bool> ShouldRetryAsync(Outcome<HttpResponseMessage> outcome, ResilienceContext context, TimeSpan totalTimeout, TimeProvider timeProvider, int maxResponseBytes) =>
        ShouldRetry(outcome, context, totalTimeout, timeProvider)
        && !await IsRecipientLimitAsync(outcome, context, maxResponseBytes).ConfigureAwait(false);

    /// <summary>
    /// Classifies an attempt with <see cref="IsProviderFailureAsync"/> and records the verdict in the provider's health
    /// (an attempt the caller cancelled says nothing about the provider and is not recorded).
    /// </summary>
    internal static ValueTask<bool> ClassifyAsync(Outcome<HttpResponseMessage> outcome, ResilienceContext context, int maxResponseBytes, ProviderHealthTracker? health)
    {
        var verdict = IsProviderFailureAsync(outcome, context, maxResponseBytes);
        if (health is null)
        {
            return verdict;
        }

        if (verdict.IsCompletedSuccessfully)
        {
            var failed = verdict.Result;
            Record(health, outcome, context, failed);
            return new ValueTask<bool>(failed);
        }

        return RecordWhenDoneAsync(verdict, health, outcome, context);

        static async ValueTask<bool> RecordWhenDoneAsync(ValueTask<bool> pending, ProviderHealthTracker health, Outcome<HttpResponseMessage> outcome, ResilienceContext context)
        {
            var failed = await pending.ConfigureAwait(false);
            Record(health, outcome, context, failed);
            return failed;
        }
    }

    private static void Record(ProviderHealthTracker health, Outcome<HttpResponseMessage> outcome, ResilienceContext context, bool failed)
    {
        if (outcome.Exception is OperationCanceledException && context.CancellationToken.IsCancellationRequested)
        {
            return;
        }

        health.Record(failed);
    }

    /// <summary>Counts what tells that the provider itself is failing; a per-recipient limit does not (a bot hammering one number must not open the circuit for everyone).</summary>
    internal static async ValueTask<bool> IsProviderFailureAsync(Outcome<HttpResponseMessage> outcome, ResilienceContext context, int maxResponseBytes) =>
        IsProviderFailure(outcome) && !await IsRecipientLimitAsync(outcome, context, maxResponseBytes).ConfigureAwait(false);

    /// <summary>
    /// Reads (and buffers, within <paramref name="maxResponseBytes"/>, so the client reads it again) the body of a refused
    /// answer, and tells whether it names a per-recipient limit of the request's operation.
    /// </summary>
    internal static async ValueTask<bool> IsRecipientLimitAsync(Outcome<HttpResponseMessage> outcome, ResilienceContext context, int maxResponseBytes)
    {
        if (outcome.Result is not { IsSuccessStatusCode: false } response
            || OtpOperation.Of(context.GetRequestMessage() ?? response.RequestMessage) is not { RecipientLimitMarkers.Count: > 0 } operation)
        {
            return false;
        }

        try
        {
            await response.Content.LoadIntoBufferAsync(maxResponseBytes, context.CancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(context.CancellationToken).ConfigureAwait(false);
            foreach (var marker in operation.RecipientLimitMarkers)
            {
                if (body.Contains(marker, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException or InvalidOperationException)
        {
            // Unreadable or too large: not a recognizable limit; the usual rules apply.
        }

        return false;
    }

    /// <summary>Decides whether an attempt may be tried again without risking a second send or check.</summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, TimeSpan totalTimeout, TimeProvider timeProvider)
    {
        var readOnly = OtpOperation.Of(context.GetRequestMessage()) is { IsReadOnly: true };
        if (outcome.Exception is { } exception)
        {
            return exception switch
            {
                OperationCanceledException when context.CancellationToken.IsCancellationRequested => false,
                BrokenCircuitException => false,
                HttpRequestException http when ProviderTransport.IsBeforeRequestWritten(http) => true,
                HttpRequestException or IOException or TimeoutRejectedException => readOnly,
                _ => false,
            };
        }

        var response = outcome.Result!;
        var status = (int)response.StatusCode;
        if (status is 429 or 503)
        {
            // The provider said it did not process the request. Wait as asked, unless that outlasts the total timeout:
            // then the answer is returned as it is (RateLimited / ProviderUnavailable with RetryAfter).
            if (ProviderTransport.GetRetryAfter(response.Headers.RetryAfter, timeProvider) is { } wait
                && context.Properties.TryGetValue(StartKey, out var start)
                && wait >= totalTimeout - timeProvider.GetElapsedTime(start))
            {
                return false;
            }

            return true;
        }

        return readOnly && (status >= 500 || status == 408);
    }

    /// <summary>Counts what tells that the provider itself is failing.</summary>
    internal static bool IsProviderFailure(Outcome<HttpResponseMessage> outcome) => outcome.Exception switch
    {
        HttpRequestException or IOException or TimeoutRejectedException => true,
        null => (int)outcome.Result!.StatusCode is >= 500 or 408 or 429,
        _ => false,
    };

    private static TimeSpan? RetryAfter(Outcome<HttpResponseMessage> outcome, TimeProvider timeProvider) =>
        outcome.Result is { } response ? ProviderTransport.GetRetryAfter(response.Headers.RetryAfter, timeProvider) : null;

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } exception ? exception.GetType().Name : "HTTP " + (int)outcome.Result!.StatusCode;

    /// <summary>The outermost strategy: notes when the pipeline started, for the Retry-After rule.</summary>
    private sealed class StartStamp(TimeProvider timeProvider) : ResilienceStrategy<HttpResponseMessage>
    {
        protected override ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
            Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
            ResilienceContext context,
            TState state)
        {
            context.Properties.Set(StartKey, timeProvider.GetTimestamp());
            return callback(context, state);
        }
    }

    private sealed class StartStampOptions : ResilienceStrategyOptions
    {
        public StartStampOptions() => Name = "start";
    }

    /// <summary>
    /// In place of a disabled circuit breaker: counts each attempt and whether it failed the way the breaker would count
    /// it, for <see cref="IOtpProviderHealth"/>.
    /// </summary>
    private sealed class HealthRecorder(ProviderHealthTracker health, int maxResponseBytes) : ResilienceStrategy<HttpResponseMessage>
    {
        protected override async ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
            Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
            ResilienceContext context,
            TState state)
        {
            var outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
            await ClassifyAsync(outcome, context, maxResponseBytes, health).ConfigureAwait(context.ContinueOnCapturedContext);
            return outcome;
        }
    }

    private sealed class HealthRecorderOptions : ResilienceStrategyOptions
    {
        public HealthRecorderOptions() => Name = "health";
    }
}

/// <summary>Receives the resilience events of the pipelines (for logs).</summary>
internal interface IOtpResilienceEvents
{
    void OnRetry(string provider, int attempt, TimeSpan delay, string reason);

    void OnCircuitOpened(string provider, TimeSpan breakDuration);

    void OnCircuitClosed(string provider);
}

/// <summary>
/// Lowers Polly's per-call events of the SDK's pipelines (an execution attempt that was not handled, the pipeline
/// executed) from Information to Debug: one line per call at Information is noise in an app's console. Retries,
/// breaker changes and timeouts keep their severity (Warning and above). Other pipelines of the app are not touched.
/// </summary>
internal sealed class QuietAttemptTelemetry : IPostConfigureOptions<TelemetryOptions>
{
    public void PostConfigure(string? name, TelemetryOptions options)
    {
        var previous = options.SeverityProvider;
        options.SeverityProvider = args =>
        {
            if (args.Source.PipelineName?.StartsWith("OtpClients.", StringComparison.Ordinal) == true
                && args.Event.Severity is ResilienceEventSeverity.Information
                && args.Event.EventName is "ExecutionAttempt" or "PipelineExecuted" or "PipelineExecuting")
            {
                return ResilienceEventSeverity.Debug;
            }

            return previous?.Invoke(args) ?? args.Event.Severity;
        };
    }
}
