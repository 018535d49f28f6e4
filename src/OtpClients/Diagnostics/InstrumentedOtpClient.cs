using Microsoft.Extensions.Logging;

namespace OtpClients.Diagnostics;

/// <summary>
/// Records the SDK's telemetry (activities <c>otp.send</c>/<c>otp.verify</c>, the <c>otp.*</c> metrics and the one
/// Information log line) around a provider client that does not record it itself: what <c>AddProvider</c> puts in
/// front of a provider whose <see cref="Microsoft.Extensions.DependencyInjection.OtpProviderDescriptor.RecordsTelemetry"/>
/// is <see langword="false"/>, so every provider is observed the same way.
/// </summary>
internal sealed class InstrumentedOtpClient(IOtpClient inner, ILogger logger, TimeProvider timeProvider) : IOtpClient, Messages.IOtpMessageSender
{
    public string ProviderName => inner.ProviderName;

    /// <summary>Gets the traits of the provider inside (the message layer reads them through this wrapper).</summary>
    public Messages.OtpMessageTraits MessageTraits => (inner as Messages.IOtpMessageSender)?.MessageTraits ?? Messages.OtpMessageTraits.Unknown;

    public async Task<OtpSendResult> SendAsync(OtpSendRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var scope = OtpTelemetry.Begin(new OtpCall("send", "otp.send", inner.ProviderName, request.PhoneNumber, logger, timeProvider, request.Channel));
        return scope.Done(await inner.SendAsync(request, cancellationToken).ConfigureAwait(false));
    }

    public async Task<OtpVerifyResult> VerifyAsync(OtpVerifyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var scope = OtpTelemetry.Begin(new OtpCall("verify", "otp.verify", inner.ProviderName, request.Challenge?.PhoneNumber, logger, timeProvider));
        return scope.Done(await inner.VerifyAsync(request, cancellationToken).ConfigureAwait(false));
    }
}
