using System.Globalization;

namespace OtpClients.Ip1;

/// <summary>iP1: requests checked against iP1's limits and built into its DTOs, and its answers read into the SDK's types.</summary>
public sealed partial class Ip1OtpClient
{
    private OtpError? Prepare(OtpSendRequest request, out PhoneNumber phone, out Ip1NewAuthenticationDto body, out TimeSpan? timeToLive)
    {
        body = null!;
        timeToLive = null;
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
        var format = defaultTemplate;
        if (request.MessageTemplate is not null)
        {
            if (RequestChecks.ParseTemplate(request.MessageTemplate, out var template) is { } templateError)
            {
                return templateError;
            }

            if (Ip1MessageTemplateExtensions.CheckOneLine(template!.Template) is { } lineError)
            {
                return new OtpError(OtpErrorCode.InvalidMessage, $"{nameof(OtpSendRequest.MessageTemplate)}: {lineError}");
            }

            format = template.ToIp1Format();
        }

        string? from = null;
        if ((request.Sender ?? defaultSender) is { } sender && Senders.Check(sender, ProviderName, out from, out _) is { } senderError)
        {
            return senderError;
        }

        var length = request.CodeLength ?? defaultCodeLength;
        if (RequestChecks.CheckCodeLength(length, MinCodeLength, MaxCodeLength, ProviderName) is { } lengthError)
        {
            return lengthError;
        }

        if (RequestChecks.CheckTimeToLive(request.TimeToLive ?? defaultTimeToLive, TimeSpan.FromSeconds(1), MaxTimeToLive, ProviderName, out var seconds) is { } ttlError)
        {
            return ttlError;
        }

        timeToLive = seconds is { } s ? TimeSpan.FromSeconds(s) : null;
        body = new Ip1NewAuthenticationDto
        {
            Phone = phone.Digits,
            From = from,
            MessageFormat = format,
            Length = length,
            ExpirationTime = seconds,
            NumericOnly = numericOnly,
        };
        return null;
    }

    private OtpError? CheckSettings(Ip1Settings settings, out Ip1SettingsDto dto)
    {
        dto = null!;
        if (settings.ConcurrentLimit is < 1)
        {
            return RequestChecks.InvalidRequest($"{nameof(Ip1Settings)}.{nameof(Ip1Settings.ConcurrentLimit)} must be at least 1 (was {settings.ConcurrentLimit}).");
        }

        string? format = null;
        if (settings.MessageTemplate is not null)
        {
            if (!MessageTemplate.TryParse(settings.MessageTemplate, out var template, out var templateError))
            {
                return new OtpError(OtpErrorCode.InvalidMessage, $"{nameof(Ip1Settings)}.{nameof(Ip1Settings.MessageTemplate)}: {templateError}");
            }

            if (Ip1MessageTemplateExtensions.CheckOneLine(template.Template) is { } lineError)
            {
                return new OtpError(OtpErrorCode.InvalidMessage, $"{nameof(Ip1Settings)}.{nameof(Ip1Settings.MessageTemplate)}: {lineError}");
            }

            format = template.ToIp1Format();
        }

        string? from = null;
        if (settings.Sender is not null && Senders.Check(settings.Sender, ProviderName, out from, out _) is { } senderError)
        {
            return senderError with { Message = $"{nameof(Ip1Settings)}.{senderError.Message}" };
        }

        if (settings.CodeLength is < MinCodeLength or > MaxCodeLength)
        {
            return RequestChecks.InvalidRequest($"{nameof(Ip1Settings)}.{nameof(Ip1Settings.CodeLength)} must be between {MinCodeLength} and {MaxCodeLength} (was {settings.CodeLength}).");
        }

        if (RequestChecks.CheckTimeToLive(settings.TimeToLive, TimeSpan.FromSeconds(1), MaxTimeToLive, ProviderName, out var seconds) is { } ttlError)
        {
            return ttlError with { Message = $"{nameof(Ip1Settings)}.{ttlError.Message}" };
        }

        dto = new Ip1SettingsDto
        {
            ConcurrentLimit = settings.ConcurrentLimit,
            From = from,
            MessageFormat = format,
            Length = settings.CodeLength,
            ExpirationTime = seconds,
            NumericOnly = settings.NumericOnly,
        };
        return null;
    }

    /// <summary>The id as iP1 issues it: digits, no leading zero (iP1 would read <c>000123</c> as <c>123</c>, so another spelling of one id is refused).</summary>
    private static OtpError? CheckId(string id, out long value) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out value) && (id.Length == 1 || id[0] != '0')
            ? null
            : RequestChecks.InvalidRequest("Challenge.Id must be the iP1 authentication ID (digits only, no leading zero).");

    private static Ip1Authentication? ToAuthentication(Ip1AuthenticationDto dto) => dto.Id is { } id
        ? new Ip1Authentication
        {
            Id = id,
            Phone = dto.Phone,
            Created = dto.Created,
            HasExpired = dto.HasExpired ?? false,
            Expires = dto.Expires,
            IsUsed = dto.IsUsed ?? false,
            Used = dto.Used,
        }
        : null;

    private static Ip1Settings ToSettings(Ip1SettingsDto dto) => new()
    {
        ConcurrentLimit = dto.ConcurrentLimit,
        Sender = dto.From,
        MessageTemplate = dto.MessageFormat is null ? null : Ip1MessageTemplateExtensions.FromIp1Format(dto.MessageFormat),
        CodeLength = dto.Length,
        TimeToLive = dto.ExpirationTime is { } seconds and >= 0 ? TimeSpan.FromSeconds(seconds) : null,
        NumericOnly = dto.NumericOnly,
    };
}
