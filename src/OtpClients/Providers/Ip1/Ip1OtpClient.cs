using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OtpClients.Diagnostics;
using OtpClients.Http;

namespace OtpClients.Ip1;

/// <summary>
/// The iP1 client: sends codes by creating an authentication (<c>POST /api/authentications</c>), checks them with
/// <c>POST /api/authentications/validate</c>, and adds look-ups and the account settings.
/// </summary>
/// <remarks>
/// <para>
/// Checked before any HTTP call: the phone number (sent as MSISDN digits, <c>46701234567</c>), the template
/// (<c>{code}</c> becomes <c>{0}</c>, other braces are doubled because iP1 formats with .NET composite formatting),
/// the sender, <see cref="OtpSendRequest.CodeLength"/> 3..25 and <see cref="OtpSendRequest.TimeToLive"/> whole
/// seconds, 1 s..24 h. The challenge id is the authentication <c>ID</c>; <see cref="OtpChallenge.ExpiresAt"/> is
/// iP1's <c>Expires</c>.
/// </para>
/// <para>
/// iP1 validates by phone and code, not by ID. <c>Valid: true</c> is <see cref="OtpVerificationStatus.Verified"/>
/// only in an HTTP 200 whose <c>Authentication</c> is present and whose <c>ID</c> is the challenge's id (a code from
/// another SMS to the same phone is <see cref="OtpVerificationStatus.InvalidCode"/>). <c>Valid: true</c> without an
/// <c>Authentication</c> or without its <c>ID</c> cannot be matched to the challenge, so it fails closed:
/// <see cref="OtpVerificationStatus.Failed"/> with <see cref="OtpErrorCode.UnexpectedResponse"/> and
/// <see cref="OtpError.MayHaveBeenAccepted"/> (iP1 may have consumed the code). <c>Valid: false</c> — and, because iP1 does not document how it
/// answers a wrong code, a 404 or a 400 that names no field — is followed by a read of the authentication to
/// tell <see cref="OtpVerificationStatus.Expired"/> (<c>HasExpired</c>) and
/// <see cref="OtpVerificationStatus.AlreadyUsed"/> (<c>IsUsed</c>) from <see cref="OtpVerificationStatus.InvalidCode"/>;
/// when that read fails, the answer is <see cref="OtpVerificationStatus.InvalidCode"/>.
/// </para>
/// <para>
/// A validate answer is read strictly, and anything short of a clean success fails closed: it must be declared as JSON,
/// with iP1's names written exactly (<c>valid</c> is not <c>Valid</c>), no property repeated at any depth, no comment,
/// no trailing comma; <c>Valid</c> a JSON boolean; the authentication's <c>ID</c> a JSON integer or a canonical integer
/// string (<c>42.9</c>, <c>"42.4"</c>, <c>" 42 "</c>, <c>"42e0"</c> and <c>"042"</c> match nothing). A success that
/// carries an error <c>Message</c>, or a <c>Phone</c> (its own or its authentication's) other than the challenge's, is
/// <see cref="OtpVerificationStatus.Failed"/> with <see cref="OtpErrorCode.UnexpectedResponse"/>.
/// </para>
/// <para>
/// A send is a success once the answer has an exact <c>ID</c>; <c>Expires</c> and the other fields are read leniently
/// (an odd value reads as absent and is logged at Debug), so they never turn a sent SMS into a failure. A
/// <c>MessageFormat</c> must be one line (iP1's documented <c>^(?=.*\{0\}).*$</c>): a template with a line break is
/// <see cref="OtpErrorCode.InvalidMessage"/> before any HTTP call. A refusal whose <c>Message</c> names the concurrent
/// limit, as a 400, 403 or 429, is <see cref="OtpErrorCode.RateLimited"/> with <see cref="OtpError.IsRecipientLimit"/>:
/// never retried, never failed over.
/// </para>
/// </remarks>
public sealed partial class Ip1OtpClient : IOtpClient, OtpClients.Messages.IOtpMessageSender
{
    /// <summary>The shortest code iP1 issues.</summary>
    public const int MinCodeLength = 3;

    /// <summary>The longest code iP1 issues.</summary>
    public const int MaxCodeLength = 25;

    /// <summary>The longest time to live iP1 accepts: 24 hours.</summary>
    public static readonly TimeSpan MaxTimeToLive = TimeSpan.FromSeconds(86400);

    private const string ValidStatus = "Valid";
    private const string InvalidStatus = "Invalid";

    private static readonly Refit.RefitSettings RefitSettings = ProviderChannel.CreateRefitSettings(Ip1JsonContext.Default);

    private readonly IIp1Api api;
    private readonly ProviderChannel channel;
    private readonly string credentials;
    private readonly string?[] credentialSecrets;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly string? defaultTemplate;
    private readonly string? defaultSender;
    private readonly int? defaultCodeLength;
    private readonly TimeSpan? defaultTimeToLive;
    private readonly bool? numericOnly;

    /// <summary>Gets what iP1 does with the message text: one line only (<c>MessageFormat</c>), codes of <c>CodeLength</c> (iP1's default 5) characters; without a <c>MessageTemplate</c>, the account's own text.</summary>
    public OtpClients.Messages.OtpMessageTraits MessageTraits { get; }

    /// <summary>Creates an iP1 client over an <see cref="HttpClient"/>.</summary>
    /// <param name="httpClient">The client to send with. Requests go to <see cref="OtpProviderOptions.BaseAddress"/>.</param>
    /// <param name="options">The settings; validated now.</param>
    /// <param name="timeProvider">The clock. Defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">The logger. Defaults to none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid; the message names each setting.</exception>
    public Ip1OtpClient(HttpClient httpClient, Ip1Options options, TimeProvider? timeProvider = null, ILogger<Ip1OtpClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid(nameof(options));
        this.timeProvider = timeProvider ?? TimeProvider.System;
        this.logger = logger ?? (ILogger)NullLogger.Instance;
        channel = new ProviderChannel(httpClient, options, this.timeProvider, this.logger);
        api = Refit.RestService.ForGenerated<IIp1Api>(channel.Http, RefitSettings);
        credentials = ProviderTransport.BasicParameter(options.AccountId!, options.ApiKey!);
        credentialSecrets = [options.AccountId, options.ApiKey, credentials];
        defaultTemplate = options.MessageTemplate is null ? null : MessageTemplate.Parse(options.MessageTemplate).ToIp1Format();
        defaultSender = options.Sender;
        defaultCodeLength = options.CodeLength;
        MessageTraits = new OtpClients.Messages.OtpMessageTraits { SingleLine = true, DefaultCodeLength = options.CodeLength ?? 5, DefaultTemplate = options.MessageTemplate };
        defaultTimeToLive = options.TimeToLive;
        numericOnly = options.NumericOnly;
    }

    /// <inheritdoc />
    public string ProviderName => OtpProviderNames.Ip1;

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
        if (Prepare(request, out var phone, out var body, out var timeToLive) is { } invalid)
        {
            return scope.Done(OtpSendResult.Failure(invalid));
        }

        var response = await ProviderTransport.ReceiveAsync(api.CreateAsync(JsonBody.Create(body, Ip1JsonContext.Default.Ip1NewAuthenticationDto), credentials, Ip1Operations.Create, cancellationToken), Ip1Operations.Create, Ip1JsonContext.Default.Ip1AuthenticationIdDto, Ip1JsonContext.Default.Ip1ErrorDto, channel, cancellationToken).ConfigureAwait(false);
        if (response.TransportError is { } transport)
        {
            return scope.Done(OtpSendResult.Failure(transport));
        }

        if (response.IsSuccessStatusCode)
        {
            return scope.Done(response.Content is { Id: >= 0 and var id }
                ? OtpSendResult.Success(new OtpChallenge(ProviderName, id.ToString(CultureInfo.InvariantCulture), phone.E164)
                {
                    ExpiresAt = response.Content.Expires ?? (timeToLive is { } ttl ? timeProvider.GetUtcNow() + ttl : null),
                })
                : OtpSendResult.Failure(HttpStatusErrors.Unreadable(response.StatusCode, Ip1Operations.Create, "the answer has no authentication ID")));
        }

        return scope.Done(OtpSendResult.Failure(Ip1Errors.FromAnswer(response.StatusCode, response.ErrorContent, Ip1Operations.Create, response.RetryAfter, [phone.Digits, phone.National, .. credentialSecrets])));
    }

    private async Task<OtpVerifyResult> VerifyCoreAsync(OtpVerifyRequest request, OtpCall call, CancellationToken cancellationToken)
    {
        using var scope = OtpTelemetry.Begin(call);
        if (RequestChecks.CheckCode(request, out var code) is { } rejected)
        {
            return scope.Done(rejected);
        }

        if (RequestChecks.CheckChallenge(request.Challenge, ProviderName, out var phone) is { } invalidChallenge)
        {
            return scope.Done(OtpVerifyResult.Failure(invalidChallenge));
        }

        if ((CheckId(request.Challenge.Id, out var id) ?? RequestChecks.CheckIpAddress(request.ClientIpAddress, out _)) is { } invalidId)
        {
            return scope.Done(OtpVerifyResult.Failure(invalidId));
        }

        var response = await ProviderTransport.ReceiveAsync(api.ValidateAsync(JsonBody.Create(new Ip1ValidateDto { Phone = phone!.Digits, Code = code }, Ip1JsonContext.Default.Ip1ValidateDto), credentials, Ip1Operations.Validate, cancellationToken), Ip1Operations.Validate, Ip1JsonContext.Default.Ip1ValidationDto, Ip1JsonContext.Default.Ip1ErrorDto, channel, cancellationToken, strict: true).ConfigureAwait(false);
        if (response.TransportError is { } transport)
        {
            return scope.Done(OtpVerifyResult.Failure(transport));
        }

        if (response.IsSuccessStatusCode)
        {
            var content = response.Content;
            switch (content?.Valid)
            {
                case true when response.StatusCode != 200:
                    // Only the documented success form (HTTP 200 with Valid: true) verifies: fail closed.
                    return scope.Done(Unverifiable(response.StatusCode, "Valid: true came with an undocumented status"));
                case true when content.Authentication?.Id is null:
                    // Nothing ties this "valid" to the challenge: fail closed (the code may have been consumed).
                    return scope.Done(Unverifiable(response.StatusCode, "Valid: true came without the validated authentication's ID"));
                case true when content.Authentication.Id != id:
                    // iP1 validates by phone and code: the code belongs to another authentication to the same phone.
                    return scope.Done(OtpVerifyResult.Rejected(OtpVerificationStatus.InvalidCode, ValidStatus + " (another authentication)"));
                case true when !string.IsNullOrWhiteSpace(content.Message):
                    return scope.Done(Unverifiable(response.StatusCode, "Valid: true came with an error Message"));
                case true when !IsSamePhone(content.Phone, phone) || !IsSamePhone(content.Authentication.Phone, phone):
                    return scope.Done(Unverifiable(response.StatusCode, "Valid: true came for another phone number"));
                case true:
                    return scope.Done(OtpVerifyResult.Verified(ValidStatus));
                case false:
                    return scope.Done(await ClassifyRejectionAsync(id, InvalidStatus, cancellationToken).ConfigureAwait(false));
                default:
                    return scope.Done(OtpVerifyResult.Failure(HttpStatusErrors.Unreadable(response.StatusCode, Ip1Operations.Validate, "the answer has no Valid flag")));
            }
        }

        var error = Ip1Errors.FromAnswer(response.StatusCode, response.ErrorContent, Ip1Operations.Validate, response.RetryAfter, [code, phone.Digits, phone.National, .. credentialSecrets]);
        if (response.StatusCode == 404 || response.StatusCode == 400 && error.Code == OtpErrorCode.InvalidRequest)
        {
            return scope.Done(await ClassifyRejectionAsync(id, $"HTTP {response.StatusCode}", cancellationToken).ConfigureAwait(false));
        }

        return scope.Done(OtpVerifyResult.Failure(error));
    }

    /// <summary>A "valid" that cannot be trusted: not verified, and iP1 may have consumed the code.</summary>
    private static OtpVerifyResult Unverifiable(int status, string what) =>
        OtpVerifyResult.Failure(HttpStatusErrors.Unreadable(status, Ip1Operations.Validate, what + "; it is not taken as verified"), ValidStatus);

    /// <summary>An absent phone says nothing; a present one must be the challenge's (MSISDN digits, or E.164).</summary>
    private static bool IsSamePhone(string? answered, PhoneNumber phone) =>
        answered is null || string.Equals(answered, phone.Digits, StringComparison.Ordinal) || string.Equals(answered, phone.E164, StringComparison.Ordinal);

    /// <summary>Reads one authentication (<c>GET /api/authentications/{id}</c>). A pure read, retried when it fails.</summary>
    /// <param name="challenge">The challenge returned by <see cref="SendAsync"/>.</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>The authentication, or the error (<see cref="OtpErrorCode.NotFound"/> for an unknown ID).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="challenge"/> is <see langword="null"/>.</exception>
    public Task<OtpResult<Ip1Authentication>> GetAuthenticationAsync(OtpChallenge challenge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        long id = 0;
        return (RequestChecks.CheckChallenge(challenge, ProviderName, out _) ?? CheckId(challenge.Id, out id)) is { } invalid
            ? Task.FromResult(OtpResult<Ip1Authentication>.Failure(invalid))
            : GetAuthenticationAsync(id, cancellationToken);
    }

    /// <summary>Reads one authentication by its ID.</summary>
    /// <param name="id">The authentication <c>ID</c>.</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>The authentication, or the error.</returns>
    public Task<OtpResult<Ip1Authentication>> GetAuthenticationAsync(long id, CancellationToken cancellationToken = default) =>
        GetAuthenticationCoreAsync(id, Call("get_authentication", "otp.get_authentication", null), cancellationToken);

    private async Task<OtpResult<Ip1Authentication>> GetAuthenticationCoreAsync(long id, OtpCall call, CancellationToken cancellationToken)
    {
        using var scope = OtpTelemetry.Begin(call);
        if (id < 0)
        {
            return scope.Done(OtpResult<Ip1Authentication>.Failure(RequestChecks.InvalidRequest("id must not be negative.")));
        }

        var response = await ProviderTransport.ReceiveAsync(api.GetAsync(id, credentials, Ip1Operations.Get, cancellationToken), Ip1Operations.Get, Ip1JsonContext.Default.Ip1AuthenticationDto, Ip1JsonContext.Default.Ip1ErrorDto, channel, cancellationToken).ConfigureAwait(false);
        if (response.TransportError is { } transport)
        {
            return scope.Done(OtpResult<Ip1Authentication>.Failure(transport));
        }

        if (response.IsSuccessStatusCode)
        {
            return scope.Done(response.Content is { } dto && ToAuthentication(dto) is { } authentication
                ? OtpResult<Ip1Authentication>.Success(authentication)
                : OtpResult<Ip1Authentication>.Failure(HttpStatusErrors.Unreadable(response.StatusCode, Ip1Operations.Get, "the answer is not an authentication")));
        }

        return scope.Done(OtpResult<Ip1Authentication>.Failure(Ip1Errors.FromAnswer(response.StatusCode, response.ErrorContent, Ip1Operations.Get, response.RetryAfter, credentialSecrets)));
    }

    /// <summary>Lists the account's authentications (<c>GET /api/authentications</c>). A pure read, retried when it fails.</summary>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>The authentications (entries without an ID are skipped), or the error.</returns>
    public Task<OtpResult<IReadOnlyList<Ip1Authentication>>> ListAuthenticationsAsync(CancellationToken cancellationToken = default) =>
        ListAuthenticationsCoreAsync(Call("list_authentications", "otp.list_authentications", null), cancellationToken);

    private async Task<OtpResult<IReadOnlyList<Ip1Authentication>>> ListAuthenticationsCoreAsync(OtpCall call, CancellationToken cancellationToken)
    {
        using var scope = OtpTelemetry.Begin(call);
        var response = await ProviderTransport.ReceiveAsync(api.ListAsync(credentials, Ip1Operations.List, cancellationToken), Ip1Operations.List, Ip1JsonContext.Default.ListIp1AuthenticationDto, Ip1JsonContext.Default.Ip1ErrorDto, channel, cancellationToken).ConfigureAwait(false);
        if (response.TransportError is { } transport)
        {
            return scope.Done(OtpResult<IReadOnlyList<Ip1Authentication>>.Failure(transport));
        }

        if (response.IsSuccessStatusCode)
        {
            return scope.Done(response.Content is { } list
                ? OtpResult<IReadOnlyList<Ip1Authentication>>.Success(list.Select(d => d is null ? null : ToAuthentication(d)).OfType<Ip1Authentication>().ToArray())
                : OtpResult<IReadOnlyList<Ip1Authentication>>.Failure(HttpStatusErrors.Unreadable(response.StatusCode, Ip1Operations.List, "the answer is not a list of authentications")));
        }

        return scope.Done(OtpResult<IReadOnlyList<Ip1Authentication>>.Failure(Ip1Errors.FromAnswer(response.StatusCode, response.ErrorContent, Ip1Operations.List, response.RetryAfter, credentialSecrets)));
    }

    /// <summary>Reads the account's defaults for new authentications (<c>GET /api/authentications/settings</c>).</summary>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>The settings (null = unset), or the error.</returns>
    public Task<OtpResult<Ip1Settings>> GetSettingsAsync(CancellationToken cancellationToken = default) =>
        GetSettingsCoreAsync(Call("get_settings", "otp.get_settings", null), cancellationToken);

    private async Task<OtpResult<Ip1Settings>> GetSettingsCoreAsync(OtpCall call, CancellationToken cancellationToken)
    {
        using var scope = OtpTelemetry.Begin(call);
        var response = await ProviderTransport.ReceiveAsync(api.GetSettingsAsync(credentials, Ip1Operations.GetSettings, cancellationToken), Ip1Operations.GetSettings, Ip1JsonContext.Default.Ip1SettingsDto, Ip1JsonContext.Default.Ip1ErrorDto, channel, cancellationToken).ConfigureAwait(false);
        if (response.TransportError is { } transport)
        {
            return scope.Done(OtpResult<Ip1Settings>.Failure(transport));
        }

        if (response.IsSuccessStatusCode)
        {
            return scope.Done(response.Content is { } dto
                ? OtpResult<Ip1Settings>.Success(ToSettings(dto))
                : OtpResult<Ip1Settings>.Failure(HttpStatusErrors.Unreadable(response.StatusCode, Ip1Operations.GetSettings, "the answer is not a settings object")));
        }

        return scope.Done(OtpResult<Ip1Settings>.Failure(Ip1Errors.FromAnswer(response.StatusCode, response.ErrorContent, Ip1Operations.GetSettings, response.RetryAfter, credentialSecrets)));
    }

    /// <summary>
    /// Replaces the account's defaults for new authentications (<c>PUT /api/authentications/settings</c>): every
    /// property is sent, and a <see langword="null"/> one unsets that default. Checked against iP1's ranges before any HTTP call.
    /// </summary>
    /// <param name="settings">The new defaults.</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>The settings iP1 answered, or those sent when it answered a 2xx without a body; or the error.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="settings"/> is <see langword="null"/>.</exception>
    public Task<OtpResult<Ip1Settings>> UpdateSettingsAsync(Ip1Settings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return UpdateSettingsCoreAsync(settings, Call("update_settings", "otp.update_settings", null), cancellationToken);
    }

    private async Task<OtpResult<Ip1Settings>> UpdateSettingsCoreAsync(Ip1Settings settings, OtpCall call, CancellationToken cancellationToken)
    {
        using var scope = OtpTelemetry.Begin(call);
        if (CheckSettings(settings, out var dto) is { } invalid)
        {
            return scope.Done(OtpResult<Ip1Settings>.Failure(invalid));
        }

        var response = await ProviderTransport.ReceiveAsync(api.UpdateSettingsAsync(JsonBody.Create(dto, Ip1JsonContext.Default.Ip1SettingsDto), credentials, Ip1Operations.UpdateSettings, cancellationToken), Ip1Operations.UpdateSettings, Ip1JsonContext.Default.Ip1SettingsDto, Ip1JsonContext.Default.Ip1ErrorDto, channel, cancellationToken).ConfigureAwait(false);
        if (response.TransportError is { } transport)
        {
            return scope.Done(OtpResult<Ip1Settings>.Failure(transport));
        }

        if (response.IsSuccessStatusCode)
        {
            return scope.Done(OtpResult<Ip1Settings>.Success(ToSettings(response.Content ?? dto)));
        }

        return scope.Done(OtpResult<Ip1Settings>.Failure(Ip1Errors.FromAnswer(response.StatusCode, response.ErrorContent, Ip1Operations.UpdateSettings, response.RetryAfter, credentialSecrets)));
    }

    private async Task<OtpVerifyResult> ClassifyRejectionAsync(long id, string providerStatus, CancellationToken cancellationToken)
    {
        var lookup = await GetAuthenticationAsync(id, cancellationToken).ConfigureAwait(false);
        var status = lookup switch
        {
            { IsSuccess: true, Value.HasExpired: true } => OtpVerificationStatus.Expired,
            { IsSuccess: true, Value.IsUsed: true } => OtpVerificationStatus.AlreadyUsed,
            _ => OtpVerificationStatus.InvalidCode,
        };
        return OtpVerifyResult.Rejected(status, providerStatus);
    }

    private OtpCall Call(string operation, string activityName, string? phone) => new(operation, activityName, ProviderName, phone, logger, timeProvider);
}
