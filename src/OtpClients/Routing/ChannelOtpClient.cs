namespace OtpClients.Failover;

/// <summary>
/// In front of one provider: a send for a channel the provider does not offer (its descriptor's
/// <c>Channels</c>) is <see cref="OtpErrorCode.NotSupported"/> with no HTTP call, so a route moves on to a provider that
/// offers it. Checks pass through.
/// </summary>
internal sealed class ChannelOtpClient(IOtpClient inner, IReadOnlyList<OtpChannel> channels) : IOtpClient, Messages.IOtpMessageSender
{
    /// <inheritdoc />
    public string ProviderName => inner.ProviderName;

    /// <summary>Gets the traits of the provider inside.</summary>
    public Messages.OtpMessageTraits MessageTraits => (inner as Messages.IOtpMessageSender)?.MessageTraits ?? Messages.OtpMessageTraits.Unknown;

    /// <inheritdoc />
    public Task<OtpSendResult> SendAsync(OtpSendRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!channels.Contains(request.Channel))
        {
            return Task.FromResult(OtpSendResult.Failure(new OtpError(
                OtpErrorCode.NotSupported,
                $"{inner.ProviderName} does not offer {Describe(request.Channel)}; it offers {string.Join(" and ", channels.Select(Describe))}.")));
        }

        return inner.SendAsync(request, cancellationToken);
    }

    /// <inheritdoc />
    public Task<OtpVerifyResult> VerifyAsync(OtpVerifyRequest request, CancellationToken cancellationToken = default) => inner.VerifyAsync(request, cancellationToken);

    /// <summary>A channel in words.</summary>
    public static string Describe(OtpChannel channel) => channel switch
    {
        OtpChannel.Sms => "SMS",
        OtpChannel.Voice => "voice calls",
        OtpChannel.WhatsApp => "WhatsApp",
        _ => channel.ToString(),
    };
}
