using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using OtpClients.Http;
using Refit;

namespace OtpClients.Twilio;

/// <summary>
/// Twilio Verify v2 behind <see cref="IOtpClient"/>: a send starts a verification (<c>POST
/// Services/{ServiceSid}/Verifications</c>) whose SID (<c>VE…</c>) is the challenge id; a check posts the code with that
/// SID (<c>VerificationCheck</c>). Registered with <c>otp.UseTwilioVerify(…)</c> or the <c>Twilio</c> configuration section.
/// </summary>
/// <remarks>
/// <para>
/// <b>Strict reading.</b> A check is <see cref="OtpVerificationStatus.Verified"/> only for HTTP 200 whose JSON has
/// <c>status</c> exactly <c>approved</c>, <c>valid</c> <see langword="true"/>, and the challenge's SID (or, without a
/// <c>sid</c>, its number in <c>to</c>), with <c>to</c>, when present, the challenge's number; any other shape, a property given twice, or a contradiction (approved but not
/// valid, another SID) is <see cref="OtpErrorCode.UnexpectedResponse"/>. A wrong code (<c>pending</c>, not valid) is
/// <see cref="OtpVerificationStatus.InvalidCode"/>.
/// </para>
/// <para>
/// <b>Errors</b> are mapped by Twilio's <c>code</c> first (one table, <see cref="Errors"/>), by HTTP status otherwise.
/// Per-recipient limits (60203 too many sends, 60212 too many concurrent requests) are never retried nor failed over.
/// Fraud Guard (60410) is <see cref="OtpErrorCode.Blocked"/>: Twilio judged the number a likely SMS pumping target, so no
/// other provider is tried (failing over would text exactly the numbers a pumping attack wants texted). Geo permissions
/// (60605) are <see cref="OtpErrorCode.NotSupported"/>, so failover tries the next provider, which may serve the country. A check on a verification Twilio no longer has (20404: expired, approved
/// or unknown) is <see cref="OtpVerificationStatus.NotFound"/>; 60202 (5 checks spent) is
/// <see cref="OtpVerificationStatus.TooManyAttempts"/>.
/// </para>
/// <para>
/// <b>Service settings.</b> The message text, the code length and the code's lifetime belong to the Verify service in
/// Twilio's console: a request with <see cref="OtpSendRequest.MessageTemplate"/>, <see cref="OtpSendRequest.CodeLength"/>,
/// <see cref="OtpSendRequest.TimeToLive"/> or <see cref="OtpSendRequest.Sender"/> is refused with
/// <see cref="OtpErrorCode.NotSupported"/> before any HTTP call. A challenge expires 10 minutes (Twilio's documented
/// lifetime) after the send, on the app's clock (<see cref="TimeProvider"/>), not after Twilio's <c>date_created</c>: a
/// clock apart from Twilio's must not expire codes early and allows 5 checks (<see cref="OtpChallenge.MaxAttempts"/>).
/// </para>
/// </remarks>
public sealed partial class TwilioVerifyOtpClient : IOtpClient, OtpClients.Messages.IOtpMessageSender
{
    /// <summary>The provider name: <c>Twilio</c>.</summary>
    public const string Name = "Twilio";

    /// <summary>How long a verification lives, as Twilio documents.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    /// <summary>The checks Twilio allows per verification.</summary>
    public const int ChecksAllowed = 5;

    internal static readonly OtpOperation SendOperation = new(Name, "send", isReadOnly: false) { RecipientLimitMarkers = ["60203", "60212"] };
    internal static readonly OtpOperation CheckOperation = new(Name, "verify", isReadOnly: false) { RecipientLimitMarkers = ["60202"] };
    internal static readonly OtpOperation CancelOperation = new(Name, "cancel", isReadOnly: false);
    internal static readonly OtpOperation ReadOperation = new(Name, "get", isReadOnly: true);

    private static readonly RefitSettings Settings = new()
    {
        TransportExceptionFactory = static (_, exception, _) => exception,
        Buffered = true,
    };

    private readonly ITwilioVerifyApi api;
    private readonly TwilioVerifyOptions options;
    private readonly TimeProvider timeProvider;
    private readonly string authorization;

    /// <summary>Initializes a new instance of the <see cref="TwilioVerifyOtpClient"/> class over an <see cref="HttpClient"/> whose base address is <see cref="OtpProviderOptions.BaseAddress"/>.</summary>
    /// <param name="httpClient">The client requests go through.</param>
    /// <param name="options">The settings (validated by <c>AddOtpClient</c> at start).</param>
    /// <param name="timeProvider">The clock of expiries. Defaults to <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    public TwilioVerifyOtpClient(HttpClient httpClient, TwilioVerifyOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        this.timeProvider = timeProvider ?? TimeProvider.System;
        var (user, password) = options.Credentials();
        authorization = "Basic " + OtpHttpAuthentication.BasicParameter(user, password); // once per registration
        api = RestService.ForGenerated<ITwilioVerifyApi>(httpClient, Settings);
    }

    /// <inheritdoc />
    public string ProviderName => Name;

    /// <summary>Gets what Twilio does with the message text: it writes its own, in the request's culture (<c>Locale</c>), with the app hash of its options.</summary>
    public OtpClients.Messages.OtpMessageTraits MessageTraits => new() { WritesItsOwnText = true, AppHash = options.AppHash };

    /// <summary>
    /// The languages Twilio Verify writes its text in (its <c>Locale</c> values). A request's culture is matched exactly,
    /// then by its parents (<c>pt-PT</c> → <c>pt</c>); a culture Twilio does not speak sends no <c>Locale</c>, and Twilio
    /// picks one from the number.
    /// </summary>
    public static IReadOnlyList<string> Locales { get; } =
    [
        "af", "ar", "ca", "cs", "da", "de", "el", "en", "en-GB", "es", "et", "fi", "fr", "he", "hi", "hr", "hu", "id", "it", "ja",
        "ko", "lt", "ms", "nb", "nl", "pl", "pt", "pt-BR", "ro", "ru", "sv", "th", "tl", "tr", "uk", "vi", "zh", "zh-CN", "zh-HK",
    ];

    /// <summary>The Twilio locale of a culture, or <see langword="null"/> when Twilio has none for it (or no culture was given).</summary>
    private static string? LocaleOf(CultureInfo? culture)
    {
        for (var c = culture; c is not null && !string.IsNullOrEmpty(c.Name); c = c.Parent)
        {
            foreach (var locale in Locales)
            {
                if (string.Equals(locale, c.Name, StringComparison.OrdinalIgnoreCase))
                {
                    return locale;
                }
            }
        }

        return null;
    }

    /// <inheritdoc />
    public async Task<OtpSendResult> SendAsync(OtpSendRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!PhoneNumber.TryParse(request.PhoneNumber, out var phone, out var invalid))
        {
            return OtpSendResult.Failure(new OtpError(OtpErrorCode.InvalidPhoneNumber, invalid));
        }

        var owned = request.MessageTemplate is not null ? "MessageTemplate (the message text)"
            : request.CodeLength is not null ? "CodeLength"
            : request.TimeToLive is not null ? "TimeToLive"
            : request.Sender is not null ? "Sender"
            : null;
        if (owned is not null)
        {
            return OtpSendResult.Failure(new OtpError(OtpErrorCode.NotSupported, $"Twilio Verify does not take {owned} per request: it is a setting of the Verify service in Twilio's console."));
        }

        var channel = request.Channel switch
        {
            OtpChannel.Sms => options.Channel, // the registration's default channel ("sms" unless set)
            OtpChannel.Voice => "call",
            OtpChannel.WhatsApp => "whatsapp",
            _ => null,
        };
        if (channel is null)
        {
            return OtpSendResult.Failure(new OtpError(OtpErrorCode.NotSupported, $"Twilio Verify does not offer the channel {request.Channel}."));
        }

        var body = new Dictionary<string, string>(4) { ["To"] = phone.E164, ["Channel"] = channel };
        if ((options.Locale ?? LocaleOf(request.Culture)) is { } locale)
        {
            body["Locale"] = locale;
        }

        if (options.AppHash is { } appHash)
        {
            body["AppHash"] = appHash;
        }

        var sentAt = timeProvider.GetUtcNow();
        HttpResponseMessage response;
        try
        {
            response = await api.SendAsync(options.ServiceSid!, body, authorization, SendOperation, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Transport(ex, SendOperation, cancellationToken) is { } error)
        {
            return OtpSendResult.Failure(error);
        }

        using (response)
        {
            var answer = await OtpProviderAnswer.ReadAsync(response, options, timeProvider, cancellationToken).ConfigureAwait(false);
            var unreadable = answer.Problem;
            if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
            {
                if (answer.Json is not null && answer.IsDeclaredJson && answer is var a && Text(a, "sid") is { } sid && VerificationSid().IsMatch(sid) && Text(a, "status") == "pending"
                    && (Text(a, "to") is not { } to || PhoneNumber.TryParse(to, out var sentTo) && sentTo == phone))
                {
                    // The app's clock from the send, never Twilio's date_created: with the two clocks apart, a lifetime
                    // counted from Twilio's would expire codes early (or late) on the app's side.
                    return OtpSendResult.Success(new OtpChallenge(Name, sid, phone.E164) { ExpiresAt = sentAt + Lifetime, MaxAttempts = ChecksAllowed });
                }

                return OtpSendResult.Failure(new OtpError(OtpErrorCode.UnexpectedResponse, "Twilio accepted the send but its answer is not a pending verification with a VE… SID" + (unreadable is null ? "." : $": {unreadable}")) { HttpStatusCode = (int)response.StatusCode, MayHaveBeenAccepted = true });
            }

            return OtpSendResult.Failure(Error(response, answer, mayHaveBeenAccepted: (int)response.StatusCode >= 500 && response.StatusCode != HttpStatusCode.ServiceUnavailable));
        }
    }

    /// <inheritdoc />
    public async Task<OtpVerifyResult> VerifyAsync(OtpVerifyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Challenge, "request.Challenge");
        ArgumentNullException.ThrowIfNull(request.Code, "request.Code");
        var challenge = request.Challenge;
        if (!string.Equals(challenge.ProviderName, Name, StringComparison.Ordinal))
        {
            return OtpVerifyResult.Failure(new OtpError(OtpErrorCode.InvalidRequest, $"Challenge.ProviderName is '{challenge.ProviderName}', not {Name}."));
        }

        if (challenge.Id is null || !VerificationSid().IsMatch(challenge.Id))
        {
            return OtpVerifyResult.Failure(new OtpError(OtpErrorCode.InvalidRequest, "Challenge.Id must be a Twilio verification SID: VE followed by 32 hexadecimal digits."));
        }

        if (!PhoneNumber.TryParse(challenge.PhoneNumber, out var phone))
        {
            return OtpVerifyResult.Failure(new OtpError(OtpErrorCode.InvalidRequest, "Challenge.PhoneNumber is not a phone number in international form."));
        }

        if (!OtpCodes.TryNormalize(request.Code, out var code) || !CodePattern().IsMatch(code))
        {
            return OtpVerifyResult.Rejected(OtpVerificationStatus.InvalidCode); // nothing a Twilio code can be: no HTTP call
        }

        HttpResponseMessage response;
        try
        {
            response = await api.CheckAsync(options.ServiceSid!, new Dictionary<string, string>(2) { ["Code"] = code, ["VerificationSid"] = challenge.Id }, authorization, CheckOperation, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Transport(ex, CheckOperation, cancellationToken) is { } error)
        {
            return OtpVerifyResult.Failure(error);
        }

        using (response)
        {
            var answer = await OtpProviderAnswer.ReadAsync(response, options, timeProvider, cancellationToken).ConfigureAwait(false);
            var unreadable = answer.Problem;
            if (response.StatusCode == HttpStatusCode.OK && answer.Json is not null && answer.IsDeclaredJson && answer is var a)
            {
                var status = Text(a, "status");
                var valid = a.TryGetBoolean("valid", out var v) ? v : (bool?)null;
                var sid = Text(a, "sid");
                // The verification checked is ours when the answer names our SID, or (without a SID) our number; a "to"
                // that is present must be our number either way: an answer naming our SID and another number contradicts
                // itself, and a contradiction never verifies.
                var to = Text(a, "to");
                var toMatches = to is null || PhoneNumber.TryParse(to, out var checkedNumber) && checkedNumber == phone;
                var ours = toMatches && (sid is null ? to is not null : string.Equals(sid, challenge.Id, StringComparison.Ordinal));
                return (status, valid) switch
                {
                    ("approved", true) when ours => OtpVerifyResult.VerifiedFor(phone.E164, status),
                    ("pending", false) when ours => OtpVerifyResult.Rejected(OtpVerificationStatus.InvalidCode, status),
                    ("canceled", false) when ours => OtpVerifyResult.Rejected(OtpVerificationStatus.Cancelled, status),
                    ("expired", false) when ours => OtpVerifyResult.Rejected(OtpVerificationStatus.Expired, status),
                    ("max_attempts_reached", false) when ours => OtpVerifyResult.Rejected(OtpVerificationStatus.TooManyAttempts, status),
                    _ => OtpVerifyResult.Failure(new OtpError(OtpErrorCode.UnexpectedResponse, ours
                        ? "Twilio's check answer is not one it documents (status and valid disagree, or are missing)."
                        : "Twilio's check answer names another verification than the challenge's.") { HttpStatusCode = 200, MayHaveBeenAccepted = true }, status),
                };
            }

            if (response.IsSuccessStatusCode)
            {
                return OtpVerifyResult.Failure(new OtpError(OtpErrorCode.UnexpectedResponse, $"Twilio answered the check with HTTP {(int)response.StatusCode}" + (unreadable is null ? "." : $": {unreadable}")) { HttpStatusCode = (int)response.StatusCode, MayHaveBeenAccepted = true });
            }

            return CodeOf(answer) switch
            {
                20404 => OtpVerifyResult.Rejected(OtpVerificationStatus.NotFound, "20404"),
                60202 => OtpVerifyResult.Rejected(OtpVerificationStatus.TooManyAttempts, "60202"),
                _ => OtpVerifyResult.Failure(Error(response, answer, mayHaveBeenAccepted: (int)response.StatusCode >= 500 && response.StatusCode != HttpStatusCode.ServiceUnavailable)),
            };
        }
    }

    /// <summary>
    /// Reads a verification (<c>GET Services/{ServiceSid}/Verifications/{Sid}</c>): its status as Twilio tells it
    /// (<c>pending</c>, <c>approved</c>, <c>canceled</c>, <c>max_attempts_reached</c>, <c>expired</c>, …), read strictly.
    /// </summary>
    /// <param name="challenge">The challenge of the send.</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>The verification, or the error (<see cref="OtpErrorCode.NotFound"/> when Twilio no longer has it).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="challenge"/> is <see langword="null"/>.</exception>
    public async Task<TwilioVerificationResult> GetAsync(OtpChallenge challenge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        if (!string.Equals(challenge.ProviderName, Name, StringComparison.Ordinal) || challenge.Id is null || !VerificationSid().IsMatch(challenge.Id))
        {
            return new TwilioVerificationResult(null, new OtpError(OtpErrorCode.InvalidRequest, "The challenge is not a Twilio verification (VE… SID)."));
        }

        HttpResponseMessage response;
        try
        {
            response = await api.GetAsync(options.ServiceSid!, challenge.Id, authorization, ReadOperation, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Transport(ex, ReadOperation, cancellationToken) is { } error)
        {
            return new TwilioVerificationResult(null, error);
        }

        using (response)
        {
            var answer = await OtpProviderAnswer.ReadAsync(response, options, timeProvider, cancellationToken).ConfigureAwait(false);
            var unreadable = answer.Problem;
            if (response.StatusCode == HttpStatusCode.OK && answer.IsDeclaredJson && answer is var a && Text(a, "sid") == challenge.Id && Text(a, "status") is { Length: > 0 } status
                && a.TryGetBoolean("valid", out var valid))
            {
                var created = Text(a, "date_created") is { } date && DateTimeOffset.TryParse(date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null;
                return new TwilioVerificationResult(new TwilioVerification(challenge.Id, status, valid, created), null);
            }

            if (response.IsSuccessStatusCode)
            {
                return new TwilioVerificationResult(null, new OtpError(OtpErrorCode.UnexpectedResponse, "Twilio's answer is not the verification asked for" + (unreadable is null ? "." : $": {unreadable}")) { HttpStatusCode = (int)response.StatusCode });
            }

            return new TwilioVerificationResult(null, CodeOf(answer) == 20404
                ? new OtpError(OtpErrorCode.NotFound, "Twilio no longer has the verification.") { ProviderCode = "20404", HttpStatusCode = (int)response.StatusCode }
                : Error(response, answer, mayHaveBeenAccepted: false));
        }
    }

    /// <summary>Cancels a verification (<c>Status=canceled</c>): its code no longer verifies.</summary>
    /// <param name="challenge">The challenge of the send.</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>Success, or the error (<see cref="OtpErrorCode.NotFound"/> when Twilio no longer has the verification).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="challenge"/> is <see langword="null"/>.</exception>
    public async Task<OtpCancelResult> CancelAsync(OtpChallenge challenge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        if (!string.Equals(challenge.ProviderName, Name, StringComparison.Ordinal) || challenge.Id is null || !VerificationSid().IsMatch(challenge.Id))
        {
            return OtpCancelResult.Failure(new OtpError(OtpErrorCode.InvalidRequest, "The challenge is not a Twilio verification (VE… SID)."));
        }

        HttpResponseMessage response;
        try
        {
            response = await api.UpdateAsync(options.ServiceSid!, challenge.Id, new Dictionary<string, string>(1) { ["Status"] = "canceled" }, authorization, CancelOperation, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Transport(ex, CancelOperation, cancellationToken) is { } error)
        {
            return OtpCancelResult.Failure(error);
        }

        using (response)
        {
            var answer = await OtpProviderAnswer.ReadAsync(response, options, timeProvider, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.OK && Text(answer, "status") == "canceled" && Text(answer, "sid") == challenge.Id)
            {
                return OtpCancelResult.Success();
            }

            if (response.IsSuccessStatusCode)
            {
                return OtpCancelResult.Failure(new OtpError(OtpErrorCode.UnexpectedResponse, "Twilio's answer to the cancel is not the canceled verification.") { HttpStatusCode = (int)response.StatusCode, MayHaveBeenAccepted = true });
            }

            return OtpCancelResult.Failure(CodeOf(answer) == 20404
                ? new OtpError(OtpErrorCode.NotFound, "Twilio no longer has the verification (expired, approved or canceled).") { ProviderCode = "20404", HttpStatusCode = (int)response.StatusCode }
                : Error(response, answer, mayHaveBeenAccepted: false));
        }
    }

    private static string? Text(OtpProviderAnswer answer, string name) => answer.TryGetString(name, out var value) ? value : null;

    [GeneratedRegex("^VE[0-9a-f]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex VerificationSid();

    [GeneratedRegex("^[0-9]{4,10}$", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();
}
