using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpClients.Diagnostics;
using OtpClients.Http;
using Polly;

namespace OtpClients.DependencyInjection;

/// <summary>Marks that an OTP client of a name (null: the default) is registered.</summary>
internal sealed record OtpClientRegistration(string? Name);

/// <summary>Validates provider options with <see cref="OtpProviderOptions.Validate"/> at start; each message names the setting.</summary>
internal sealed class OtpProviderOptionsValidator<TOptions>(string name) : IValidateOptions<TOptions>
    where TOptions : OtpProviderOptions
{
    public ValidateOptionsResult Validate(string? optionsName, TOptions options)
    {
        if (!string.Equals(optionsName, name, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>
/// One resilience pipeline per provider client, built once from its options and shared by every handler
/// <c>IHttpClientFactory</c> creates, so the circuit breaker's state outlives handler renewal.
/// </summary>
internal sealed class OtpResiliencePipelines(TimeProvider timeProvider, ILoggerFactory loggerFactory)
{
    private readonly ConcurrentDictionary<string, Lazy<ResiliencePipeline<HttpResponseMessage>>> pipelines = new(StringComparer.Ordinal);
    private readonly LoggingResilienceEvents events = new(loggerFactory.CreateLogger("OtpClients.Resilience"));

    public ResiliencePipeline<HttpResponseMessage> Get(string clientName, OtpProviderOptions options) =>
        pipelines.GetOrAdd(clientName, _ => new Lazy<ResiliencePipeline<HttpResponseMessage>>(() => OtpResilience.CreatePipeline(options, timeProvider, events))).Value;
}
