using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OtpClients.Diagnostics;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
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
        http.AddResilienceHandler(PipelineName, (builder, context) =>
        {
            context.EnableReloads<TOptions>(optionsName);
            var options = context.GetOptions<TOptions>(optionsName);
            var services = context.ServiceProvider;
            var events = new LoggingResilienceEvents(services.GetRequiredService<ILoggerFactory>().CreateLogger("OtpClients.Resilience"));
            Configure(builder, options, providerName, services.GetRequiredService<TimeProvider>(), events);
        });
        return http;
    }

    /// <summary>Adds the strategies to a pipeline builder (also used alone, by tests and benchmarks).</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "AddStrategy validates StartStampOptions with data annotations; it has no members to validate, so trimming removes nothing it needs.")]
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, OtpProviderOptions options, string providerName, TimeProvider timeProvider, IOtpResilienceEvents? events = null)
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
                ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Outcome, args.Context, total, timeProvider)),
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
                ShouldHandle = args => new ValueTask<bool>(IsProviderFailure(args.Outcome)),
                OnOpened = args =>
                {
                    events?.OnCircuitOpened(providerName, args.BreakDuration);
                    return default;
                },
                OnClosed = _ =>
                {
                    events?.OnCircuitClosed(providerName);
                    return default;
                },
            });
        }

        builder.AddTimeout(new TimeoutStrategyOptions { Name = "attempt", Timeout = options.AttemptTimeout });
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
}

/// <summary>Receives the resilience events of the pipelines (for logs).</summary>
internal interface IOtpResilienceEvents
{
    void OnRetry(string provider, int attempt, TimeSpan delay, string reason);

    void OnCircuitOpened(string provider, TimeSpan breakDuration);

    void OnCircuitClosed(string provider);
}
