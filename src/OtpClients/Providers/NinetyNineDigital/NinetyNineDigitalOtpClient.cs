using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OtpClients.Diagnostics;
using OtpClients.Http;

namespace OtpClients.NinetyNineDigital;

/// <summary>
/// The 99digital client (Verify SMS): sends a code with <c>verifySMS</c> and checks it by phone and code, both over
/// <c>multipart/form-data</c>.
/// </summary>
/// <remarks>
/// <para>
/// 99digital serves Israeli numbers only, sent in local form (<c>+972501234567</c> → <c>0501234567</c>); a valid
/// number of any other country fails with <see cref="OtpErrorCode.NotSupported"/> naming its country, before any HTTP
/// call (failover moves on to a provider that serves it). A code lives exactly 10
/// minutes and its length is 99digital's: a request that sets <see cref="OtpSendRequest.CodeLength"/>, or a
/// <see cref="OtpSendRequest.TimeToLive"/> other than 10 minutes, fails with <see cref="OtpErrorCode.NotSupported"/>
/// (another provider may serve it). The template's <c>{code}</c> becomes <c>##code##</c>. The challenge id is
/// 99digital's <c>unique</c>; <see cref="OtpChallenge.ExpiresAt"/> is its <c>timestamp</c> plus 10 minutes.
/// </para>
/// <para>
/// Check: only <c>status</c> 1 is documented, and only it verifies. 99digital does not publish its other check
/// statuses, so every other value is <see cref="OtpVerificationStatus.InvalidCode"/> (fail closed), with the raw
/// value in <see cref="OtpVerifyResult.ProviderStatus"/>; expired and used codes are therefore reported as
/// <see cref="OtpVerificationStatus.InvalidCode"/> too. A check answered like a refused send (<c>status</c> FAIL with a
/// known <c>reason</c>, such as 6 for a wrong apiKey) is a failure with that reason's error, not a wrong code.
/// </para>
/// <para>
/// Send: <c>status</c> OK with a well-formed <c>unique</c> is a sent SMS, whatever <c>timestamp</c>, <c>from</c> and
/// <c>reason</c> hold (read leniently: an odd value reads as absent and is logged at Debug). <c>status</c> FAIL with
/// reason 5 ("unknown error") or a reason 99digital does not document is <see cref="OtpErrorCode.ProviderError"/>
/// with <see cref="OtpError.MayHaveBeenAccepted"/>: nothing says the SMS did not go, so it is not failed over.
/// </para>
/// <para>
/// A <c>status</c> 1 verifies only in an HTTP 200 declared as JSON, with no property repeated and names written exactly
/// (trailing commas are accepted: 99digital's own example has one), that does not contradict itself or the challenge:
/// when it carries a <c>reason</c> (of any value but null or <c>""</c>), or a <c>phone</c> that is not the challenge's number (in the national <c>0501234567</c> or the
/// international <c>972501234567</c> / <c>+972501234567</c> form), it is <see cref="OtpVerificationStatus.Failed"/>
/// with <see cref="OtpErrorCode.UnexpectedResponse"/>. So is a success without <c>phone</c>: 99digital's documented
/// answer always carries the number, and a success is the one answer that is never guessed (a stand-in or a proxy that
/// answers <c>{"status": 1}</c> to any code must not verify it).
/// </para>
/// </remarks>
public sealed class NinetyNineDigitalOtpClient : IOtpClient, OtpClients.Messages.IOtpMessageSender
{
    /// <summary>How long a 99digital code lives: 10 minutes, not configurable.</summary>
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);

    private const int MaxSenderLength = 11;

    private readonly INinetyNineDigitalApi api;
    private readonly ProviderChannel channel;
    private readonly string apiKey;
    private readonly string sendPath;
    private readonly string checkPath;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly string? defaultSender;
    private readonly string? defaultMessage;

    /// <summary>The code length messages are measured with: 99digital does not document its codes' length, so a generous 8.</summary>
    public const int UndocumentedCodeLength = 8;

    /// <summary>Gets what 99digital does with the message text: it takes any text; its codes' length is not documented (measured as <see cref="UndocumentedCodeLength"/>); without a <c>MessageTemplate</c>, its own text.</summary>
    public OtpClients.Messages.OtpMessageTraits MessageTraits { get; }

    /// <summary>Creates a 99digital client over an <see cref="HttpClient"/>.</summary>
    /// <param name="httpClient">The client to send with. Requests go to <see cref="OtpProviderOptions.BaseAddress"/> plus the configured paths.</param>
    /// <param name="options">The settings; validated now.</param>
    /// <param name="timeProvider">The clock. Defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">The logger. Defaults to none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid; the message names each setting.</exception>
    public NinetyNineDigitalOtpClient(HttpClient httpClient, NinetyNineDigitalOptions options, TimeProvider? timeProvider = null, ILogger<NinetyNineDigitalOtpClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid(nameof(options));
        this.timeProvider = timeProvider ?? TimeProvider.System;
        this.logger = logger ?? (ILogger)NullLogger.Instance;
        channel = new ProviderChannel(httpClient, options, this.timeProvider, this.logger);
        api = Refit.RestService.ForGenerated<INinetyNineDigitalApi>(channel.Http, ProviderChannel.RefitSettings);
        apiKey = options.ApiKey!;
        sendPath = options.SendPath.TrimStart('/');
        checkPath = options.CheckPath.TrimStart('/');
        defaultSender = options.Sender;
        defaultMessage = options.MessageTemplate is null ? null : MessageTemplate.Parse(options.MessageTemplate).ToNinetyNineDigitalMessage();
        MessageTraits = new OtpClients.Messages.OtpMessageTraits { DefaultCodeLength = UndocumentedCodeLength, DefaultTemplate = options.MessageTemplate };
    }

    /// <inheritdoc />
    public string ProviderName => OtpProviderNames.NinetyNineDigital;

    /// <inheritdoc />
    public Task<OtpSendResult> SendAsync(OtpSendRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendCoreAsync(request, Call("send", "otp.send", request.PhoneNumber), cancellationToken);
    }

    /// <inheritdoc />
    public Task<OtpVerifyResult> VerifyAsync(OtpVerifyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return VerifyCoreAsync(request, Call("verify", "otp.verify", request.Challenge?.PhoneNumber), cancellationToken);
    }

    private async Task<OtpSendResult> SendCoreAsync(OtpSendRequest request, OtpCall call, CancellationToken cancellationToken)
    {
        using var scope = OtpTelemetry.Begin(call);
        if (Prepare(request, out var phone, out var local, out var from, out var message) is { } invalid)
        {
            return scope.Done(OtpSendResult.Failure(invalid));
        }

        var response = await ProviderTransport.ReceiveAsync(api.PostFormAsync(sendPath, NinetyNineDigitalForm.Send(apiKey, from, local, message), NinetyNineDigitalOperations.Send, cancellationToken), NinetyNineDigitalOperations.Send, NinetyNineDigitalJsonContext.Default.NinetyNineDigitalSendResponse, NinetyNineDigitalJsonContext.Default.NinetyNineDigitalSendResponse, channel, cancellationToken).ConfigureAwait(false);
        if (response.TransportError is { } transport)
        {
            return scope.Done(OtpSendResult.Failure(transport));
        }

        var body = response.Content ?? response.ErrorContent;
        if (response.IsSuccessStatusCode && string.Equals(body?.Status?.Trim(), "OK", StringComparison.OrdinalIgnoreCase))
        {
            if (body!.Unique is { } unique && RequestChecks.IsWellFormedId(unique))
            {
                var sentAt = body.Timestamp is { } seconds && seconds > 0 && seconds < 253402300799 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : timeProvider.GetUtcNow();
                return scope.Done(OtpSendResult.Success(new OtpChallenge(ProviderName, unique, phone.E164) { ExpiresAt = sentAt + CodeLifetime }));
            }

            return scope.Done(OtpSendResult.Failure(HttpStatusErrors.Unreadable(response.StatusCode, NinetyNineDigitalOperations.Send, "status OK came without a usable unique id")));
        }

        if (response.IsSuccessStatusCode && !string.Equals(body?.Status?.Trim(), "FAIL", StringComparison.OrdinalIgnoreCase))
        {
            return scope.Done(OtpSendResult.Failure(HttpStatusErrors.Unreadable(response.StatusCode, NinetyNineDigitalOperations.Send, "the answer has no status OK or FAIL")));
        }

        return scope.Done(OtpSendResult.Failure(NinetyNineDigitalErrors.FromReason(response.StatusCode, body?.Reason, NinetyNineDigitalOperations.Send, response.RetryAfter, [local, phone.Digits, apiKey])));
    }

    private async Task<OtpVerifyResult> VerifyCoreAsync(OtpVerifyRequest request, OtpCall call, CancellationToken cancellationToken)
    {
        using var scope = OtpTelemetry.Begin(call);
        if (RequestChecks.CheckCode(request, out var code) is { } rejected)
        {
            return scope.Done(rejected);
        }

        if (RequestChecks.CheckChallenge(request.Challenge, ProviderName, out var phone) is { } invalid)
        {
            return scope.Done(OtpVerifyResult.Failure(invalid));
        }

        if (!phone!.TryGetIsraeliLocal(out var local))
        {
            return scope.Done(OtpVerifyResult.Failure(RequestChecks.InvalidRequest("Challenge.PhoneNumber is not Israeli (+972); 99digital cannot have sent it a code.")));
        }

        if (RequestChecks.CheckIpAddress(request.ClientIpAddress, out _) is { } invalidIp)
        {
            return scope.Done(OtpVerifyResult.Failure(invalidIp));
        }

        var response = await ProviderTransport.ReceiveAsync(api.PostFormAsync(checkPath, NinetyNineDigitalForm.Check(apiKey, local, code), NinetyNineDigitalOperations.Check, cancellationToken), NinetyNineDigitalOperations.Check, NinetyNineDigitalJsonContext.Default.NinetyNineDigitalCheckResponse, NinetyNineDigitalJsonContext.Default.NinetyNineDigitalCheckResponse, channel, cancellationToken, strict: true).ConfigureAwait(false);
        if (response.TransportError is { } transport)
        {
            return scope.Done(OtpVerifyResult.Failure(transport));
        }

        if (!response.IsSuccessStatusCode)
        {
            return scope.Done(OtpVerifyResult.Failure(HttpStatusErrors.FromStatus(response.StatusCode, NinetyNineDigitalOperations.Check, response.RetryAfter)));
        }

        if (response.Content?.Status is not { } status)
        {
            return scope.Done(OtpVerifyResult.Failure(HttpStatusErrors.Unreadable(response.StatusCode, NinetyNineDigitalOperations.Check, "the answer has no status")));
        }

        // A refusal in the shape of send's answers (status FAIL with a known reason, e.g. 6 wrong apiKey) is not a wrong code.
        if (string.Equals(status, "FAIL", StringComparison.OrdinalIgnoreCase) && response.Content.ReasonText is { } reason && NinetyNineDigitalErrors.ByReason.ContainsKey(reason))
        {
            return scope.Done(OtpVerifyResult.Failure(NinetyNineDigitalErrors.FromReason(response.StatusCode, reason, NinetyNineDigitalOperations.Check, response.RetryAfter, [code, local, phone.Digits, apiKey]), status));
        }

        if (response.StatusCode != 200 || !string.Equals(status, NinetyNineDigitalErrors.VerifiedStatus, StringComparison.Ordinal))
        {
            return scope.Done(OtpVerifyResult.Rejected(OtpVerificationStatus.InvalidCode, Diagnostics.Redactor.Clean(status, [code, local, phone.Digits, apiKey]) ?? "(blank)"));
        }

        // A success must not contradict itself or the challenge: an error reason beside it, or another number.
        if (response.Content.HasReason)
        {
            return scope.Done(OtpVerifyResult.Failure(HttpStatusErrors.Unreadable(response.StatusCode, NinetyNineDigitalOperations.Check, "status 1 came with an error reason; it is not taken as verified"), status));
        }

        // 99digital's documented check answer always names the number: a success must say whose code it verified.
        if (response.Content.Phone is not { } answered)
        {
            return scope.Done(OtpVerifyResult.Failure(HttpStatusErrors.Unreadable(response.StatusCode, NinetyNineDigitalOperations.Check, "status 1 came without the phone number it is for; it is not taken as verified"), status));
        }

        if (answered != local && answered != phone.Digits && answered != phone.E164)
        {
            return scope.Done(OtpVerifyResult.Failure(HttpStatusErrors.Unreadable(response.StatusCode, NinetyNineDigitalOperations.Check, "status 1 came for another phone number; it is not taken as verified"), status));
        }

        return scope.Done(OtpVerifyResult.Verified(status));
    }

    /// <summary>
    /// Checks a 99digital sender: 1 to 11 characters without control characters; a number (digits, or <c>+972…</c>)
    /// is sent in Israeli local form.
    /// </summary>
    internal static OtpError? CheckSender(string sender, out string wire)
    {
        wire = sender;
        if (string.IsNullOrWhiteSpace(sender))
        {
            return new OtpError(OtpErrorCode.InvalidSender, "Sender is required by 99digital (reason 9: from empty).");
        }

        if (sender.StartsWith('+') || sender.All(char.IsAsciiDigit))
        {
            if (sender.StartsWith('+'))
            {
                if (!PhoneNumber.TryParse(sender, out var number) || !number.TryGetIsraeliLocal(out var localSender))
                {
                    return new OtpError(OtpErrorCode.InvalidSender, "Sender as a number must be an Israeli number approved by 99digital, in local form (0501234567) or +972.");
                }

                wire = localSender;
            }

            if (wire.Length > MaxSenderLength)
            {
                return new OtpError(OtpErrorCode.InvalidSender, $"Sender as a number must be at most {MaxSenderLength} digits in local form for 99digital.");
            }

            return null;
        }

        if (sender.Length > MaxSenderLength)
        {
            return new OtpError(OtpErrorCode.InvalidSender, $"Sender must be at most {MaxSenderLength} characters for 99digital (was {sender.Length}).");
        }

        return sender.Any(c => char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format)
            ? new OtpError(OtpErrorCode.InvalidSender, "Sender must not contain control or formatting characters.")
            : null;
    }

    private OtpCall Call(string operation, string activityName, string? phone) => new(operation, activityName, ProviderName, phone, logger, timeProvider);

    private OtpError? Prepare(OtpSendRequest request, out PhoneNumber phone, out string local, out string from, out string? message)
    {
        local = from = null!;
        message = defaultMessage;
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
        if (!phone.TryGetIsraeliLocal(out var israeli))
        {
            // A valid number that this provider does not serve: another provider may (failover moves on).
            return RequestChecks.NotSupported($"{nameof(OtpSendRequest.PhoneNumber)}: 99digital serves Israeli numbers (+972) only; this number is from {phone.RegionCode ?? "country code +" + phone.CountryCode}.");
        }

        local = israeli;
        if (request.CodeLength is not null)
        {
            return RequestChecks.NotSupported($"{nameof(OtpSendRequest.CodeLength)}: 99digital chooses the code length itself; leave it unset.");
        }

        if (request.TimeToLive is { } ttl && ttl != CodeLifetime)
        {
            return RequestChecks.NotSupported($"{nameof(OtpSendRequest.TimeToLive)}: 99digital codes live exactly 10 minutes; leave it unset or set 10 minutes.");
        }

        if (request.MessageTemplate is not null)
        {
            if (RequestChecks.ParseTemplate(request.MessageTemplate, out var template) is { } templateError)
            {
                return templateError;
            }

            message = template!.ToNinetyNineDigitalMessage();
        }

        if ((request.Sender ?? defaultSender) is not { } sender)
        {
            return new OtpError(OtpErrorCode.InvalidSender, "Sender is required by 99digital: set NinetyNineDigital.Sender or OtpSendRequest.Sender.");
        }

        return CheckSender(sender, out from);
    }
}
