using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace OtpClients.Http;

/// <summary>
/// Builds the resilience pipeline of one provider: total timeout → retry → circuit breaker → attempt timeout.
/// </summary>
/// <remarks>
/// Sending an OTP and checking one are not idempotent, so a retry happens only when it cannot send or check twice:
/// a connection that failed before the request was written, HTTP 429 and 503 (which say the request was not
/// processed; <c>Retry-After</c> is honoured unless it outlasts the total timeout), and any failure of a read-only
/// request. Everything else is answered once.
/// </remarks>
internal static class OtpResilience
{
    /// <summary>The request being sent, for the retry predicate.</summary>
    public static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("OtpClients.Request");

    public static ResiliencePipeline<HttpResponseMessage> CreatePipeline(OtpProviderOptions options, TimeProvider timeProvider, IOtpResilienceEvents? events = null)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>
        {
            Name = options.ProviderName,
            TimeProvider = timeProvider,
        };

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
                    events?.OnRetry(options.ProviderName, args.AttemptNumber + 1, args.RetryDelay, Describe(args.Outcome));
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
                    events?.OnCircuitOpened(options.ProviderName, args.BreakDuration);
                    return default;
                },
                OnClosed = _ =>
                {
                    events?.OnCircuitClosed(options.ProviderName);
                    return default;
                },
            });
        }

        builder.AddTimeout(new TimeoutStrategyOptions { Name = "attempt", Timeout = options.AttemptTimeout });
        return builder.Build();
    }

    /// <summary>Decides whether an attempt may be tried again without risking a second send or check.</summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, TimeSpan totalTimeout, TimeProvider timeProvider)
    {
        var readOnly = context.Properties.TryGetValue(RequestKey, out var request) && request is OtpRequestMessage { Operation.IsReadOnly: true };
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
                && request is OtpRequestMessage { StartTimestamp: var start and not 0 }
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
}

/// <summary>Receives the resilience events of the pipelines (for logs).</summary>
internal interface IOtpResilienceEvents
{
    void OnRetry(string provider, int attempt, TimeSpan delay, string reason);

    void OnCircuitOpened(string provider, TimeSpan breakDuration);

    void OnCircuitClosed(string provider);
}

/// <summary>
/// The one <see cref="DelegatingHandler"/> of a provider's <see cref="HttpClient"/>: runs each request through the
/// provider's resilience pipeline. The pipeline is shared by every handler of the provider, so the circuit breaker
/// keeps its state when <c>IHttpClientFactory</c> renews handlers.
/// </summary>
internal sealed class OtpResilienceHandler : DelegatingHandler
{
    private readonly ResiliencePipeline<HttpResponseMessage> pipeline;
    private readonly TimeProvider timeProvider;

    public OtpResilienceHandler(ResiliencePipeline<HttpResponseMessage> pipeline, TimeProvider timeProvider)
    {
        this.pipeline = pipeline;
        this.timeProvider = timeProvider;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(OtpResilience.RequestKey, request);
        if (request is OtpRequestMessage otpRequest)
        {
            // Kept on the request, not in the context's properties: a boxed timestamp per call is avoidable.
            otpRequest.StartTimestamp = timeProvider.GetTimestamp();
        }
        try
        {
            var outcome = await pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    try
                    {
                        return Outcome.FromResult(await state.Handler.SendOnceAsync(state.Request, ctx.CancellationToken).ConfigureAwait(false));
                    }
                    catch (Exception ex)
                    {
                        return Outcome.FromException<HttpResponseMessage>(ex);
                    }
                },
                context,
                (Handler: this, Request: request)).ConfigureAwait(false);
            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken) => base.SendAsync(request, cancellationToken);
}
