
namespace OtpClients.Amm;

/// <summary>AMM: a send request checked against AMM's limits and built into its form, before any HTTP call.</summary>
public sealed partial class AmmOtpClient
{
    private OtpError? Prepare(OtpSendRequest request, out PhoneNumber phone, out AmmSendForm form, out TimeSpan timeToLive)
    {
        form = null!;
        timeToLive = default;
        if (RequestChecks.SmsOnly(request, ProviderName) is { } channelError)
        {
            phone = null!;
            return channelError;
        }

        if (RequestChecks.ParsePhone(request.PhoneNumber, out var parsed) is { } phoneError)
        {
            phone = null!;
            return phoneError;
        }

        phone = parsed!;
        var text = defaultText;
        var measured = defaultTemplate;
        if (request.MessageTemplate is not null)
        {
            if (RequestChecks.ParseTemplate(request.MessageTemplate, out var template) is { } templateError)
            {
                return templateError;
            }

            text = template!.ToAmmText();
            measured = request.MessageTemplate;
        }

        string? from = null;
        if ((request.Sender ?? defaultSender) is { } sender && Senders.Check(sender, ProviderName, out from, out _) is { } senderError)
        {
            return senderError;
        }

        var codeLength = request.CodeLength ?? defaultCodeLength;
        if (RequestChecks.CheckCodeLength(codeLength, 4, 6, ProviderName) is { } lengthError)
        {
            return lengthError;
        }

        if (RequestChecks.CheckTimeToLive(request.TimeToLive ?? defaultTimeToLive, TimeSpan.FromSeconds(10), TimeSpan.MaxValue, ProviderName, out var ttlSeconds) is { } ttlError)
        {
            return ttlError;
        }

        timeToLive = ttlSeconds is { } s ? TimeSpan.FromSeconds(s) : AmmOptions.ProviderDefaultTimeToLive;
        form = new AmmSendForm(phone.Digits, text)
        {
            From = from,
            Sandbox = sandbox,
            AppId = appId,
            // Left unset, the encoding follows the text: AMM would send 7BIT, which garbles a text outside GSM-7.
            Encoding = encoding ?? (OtpClients.Messages.SmsSegments.Measure(measured.Replace(MessageTemplate.CodePlaceholder, "0", StringComparison.Ordinal)).Encoding == OtpClients.Messages.SmsEncoding.Ucs2 ? AmmEncoding.Ucs2 : null),
            CodeLength = codeLength,
            MaxRetry = maxRetry,
            TtlSeconds = ttlSeconds,
        };
        return null;
    }

    private static DateTimeOffset? FromUnixMilliseconds(long? milliseconds) =>
        milliseconds is { } ms && ms >= DateTimeOffset.MinValue.ToUnixTimeMilliseconds() && ms <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;
}
