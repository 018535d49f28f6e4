using System.Globalization;
using OtpClients.Diagnostics;

namespace OtpClients.Messages;

/// <summary>
/// The message layer in front of one provider (<c>otp.UseMessages</c>): gives it the final text of the send — the
/// request's template, else its culture's, else the provider's own; smart encoded; with the autofill lines — measured
/// with the code in it and refused over the segment limit before any HTTP call. A provider that writes its own text gets
/// the culture instead. Checks pass through.
/// </summary>
internal sealed class MessagingOtpClient(IOtpClient inner, OtpMessageComposer composer) : IOtpClient
{
    private readonly OtpMessageTraits traits = (inner as IOtpMessageSender)?.MessageTraits ?? OtpMessageTraits.Unknown;

    /// <summary>Gets the provider behind the layer.</summary>
    public IOtpClient Inner => inner;

    /// <inheritdoc />
    public string ProviderName => inner.ProviderName;

    /// <inheritdoc />
    public Task<OtpSendResult> SendAsync(OtpSendRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var culture = request.Culture ?? CultureInfo.CurrentUICulture;
        if (traits.WritesItsOwnText)
        {
            return inner.SendAsync(request.Culture is null ? request with { Culture = culture } : request, cancellationToken);
        }

        string? template;
        string source;
        if (request.MessageTemplate is { } own)
        {
            (template, source) = (own, nameof(OtpSendRequest.MessageTemplate));
        }
        else if (composer.TemplateFor(culture) is { } byCulture)
        {
            (template, source) = (byCulture.Template, $"{composer.Path}:Templates:{byCulture.Key}");
        }
        else
        {
            (template, source) = (traits.DefaultTemplate, $"{inner.ProviderName}'s MessageTemplate");
        }

        if (template is null || !MessageTemplate.TryParse(template, out _, out _))
        {
            return inner.SendAsync(request, cancellationToken); // the provider's own text, or its own refusal of a bad template
        }

        var composed = composer.Compose(template);
        var measure = SmsSegments.Measure(OtpMessageComposer.Render(composed, request.CodeLength ?? traits.DefaultCodeLength));
        if (composer.OverLimit(measure, source, inner.ProviderName) is { } over)
        {
            return Task.FromResult(OtpSendResult.Failure(new OtpError(OtpErrorCode.InvalidMessage, over)));
        }

        OtpTelemetry.RecordSegments(inner.ProviderName, measure);
        return inner.SendAsync(request with { MessageTemplate = composed }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<OtpVerifyResult> VerifyAsync(OtpVerifyRequest request, CancellationToken cancellationToken = default) => inner.VerifyAsync(request, cancellationToken);
}
