using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OtpClients.Diagnostics;
using OtpClients.Http;

namespace OtpClients.Amm;

/// <summary>
/// The AMM client (SMS OTP v2): sends codes with <c>verify/send</c>, checks them with <c>verify/check</c>, and
/// adds <see cref="CancelAsync(OtpChallenge, CancellationToken)"/> (<c>verify/command</c>) and
/// <see cref="SearchAsync(OtpChallenge, CancellationToken)"/> (<c>verify/search</c>).
/// </summary>
/// <remarks>
/// <para>
/// Checked before any HTTP call: the phone number (sent as MSISDN digits, <c>393481234567</c>), the template
/// (<c>{code}</c> becomes <c>${verify_code}</c>), the sender (a phone number or up to 11 letters and digits),
/// <see cref="OtpSendRequest.CodeLength"/> 4..6 and <see cref="OtpSendRequest.TimeToLive"/> whole seconds, at least 10.
/// The challenge id is AMM's <c>verify_id</c>; verify is keyed by it.
/// </para>
/// <para>
/// A check answer arrives either as HTTP 200 with <c>verify_status</c> or as HTTP 400 with the same value in
/// <c>errorMsg</c>; both map the same way. A status AMM does not document is never taken as verified: it
/// maps to <see cref="OtpVerificationStatus.Failed"/> with <see cref="OtpErrorCode.UnexpectedResponse"/>.
/// A wrong code (FAILED) is <see cref="OtpVerificationStatus.InvalidCode"/>. With <see cref="AmmOptions.DetectSpentAttempts"/>
/// it is followed by a read of the request's history (<c>search</c>): when the request itself is FAILED, its attempts
/// are spent and the answer is <see cref="OtpVerificationStatus.TooManyAttempts"/>.
/// </para>
/// <para>
/// <c>VERIFIED</c> verifies only written exactly, in an HTTP 200 declared as JSON, with the names written exactly, no
/// property repeated at any depth, no comment and no trailing comma, and nothing that contradicts it: an
/// <c>errorMsg</c> beside it, or a <c>verify_id</c> other than the challenge's, makes it
/// <see cref="OtpVerificationStatus.Failed"/> with <see cref="OtpErrorCode.UnexpectedResponse"/>. The refusals
/// (<c>errorMsg</c> and the other <c>verify_status</c> values) are looked up ignoring case and surrounding white space.
/// <c>ANTISPAM</c>, whatever its HTTP status, is <see cref="OtpErrorCode.RateLimited"/> with
/// <see cref="OtpError.IsRecipientLimit"/>: never retried, never failed over. <c>search</c> reads its dates, numbers and
/// texts leniently (an odd value reads as absent and is logged at Debug).
/// </para>
/// <para>
/// AMM documents <c>check</c> as a GET with the code in the query string; no other form is documented, so the code
/// travels in the URI. The SDK never logs URIs, but .NET's private HTTP event source does (see the README, "Safe by
/// design").
/// </para>
/// <para>
/// Create it with <c>services.AddOtpClient(otp =&gt; otp.UseAmm(…))</c>, which adds resilience and telemetry, or
/// directly over an <see cref="HttpClient"/> you own.
/// </para>
/// </remarks>
public sealed partial class AmmOtpClient : IOtpClient, OtpClients.Messages.IOtpMessageSender
{
    /// <summary>The checks AMM allows per request when <c>max_retry</c> is not sent.</summary>
    private const int DefaultMaxRetry = 3;

    private const string CancelCommand = "DELETE";

    private readonly IAmmApi api;
    private readonly ProviderChannel channel;
    private readonly string credentials;
    private readonly string?[] credentialSecrets;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly string defaultText;
    private readonly string defaultTemplate;
    private readonly string? defaultSender;
    private readonly bool detectSpentAttempts;
    private readonly string? appId;
    private readonly AmmEncoding? encoding;
    private readonly int? defaultCodeLength;
    private readonly int? maxRetry;
    private readonly TimeSpan? defaultTimeToLive;
    private readonly bool sandbox;

    /// <summary>Gets what AMM does with the message text: it takes any text, with codes of <c>CodeLength</c> (4 by default) characters.</summary>
    public OtpClients.Messages.OtpMessageTraits MessageTraits { get; }

    /// <summary>Creates an AMM client over an <see cref="HttpClient"/>.</summary>
    /// <param name="httpClient">The client to send with. Its <see cref="HttpClient.BaseAddress"/> is not used: requests go to <see cref="OtpProviderOptions.BaseAddress"/>.</param>
    /// <param name="options">The settings; validated now.</param>
    /// <param name="timeProvider">The clock for expiry times. Defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">The logger. Defaults to none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid; the message names each setting.</exception>
    public AmmOtpClient(HttpClient httpClient, AmmOptions options, TimeProvider? timeProvider = null, ILogger<AmmOtpClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid(nameof(options));
        this.timeProvider = timeProvider ?? TimeProvider.System;
        this.logger = logger ?? (ILogger)NullLogger.Instance;
        channel = new ProviderChannel(httpClient, options, this.timeProvider, this.logger);
        api = Refit.RestService.ForGenerated<IAmmApi>(channel.Http, ProviderChannel.RefitSettings);
        credentials = ProviderTransport.BasicParameter(options.AuthKey!, options.AuthSecret!);
        credentialSecrets = [options.AuthKey, options.AuthSecret, credentials];
        defaultText = MessageTemplate.Parse(options.MessageTemplate).ToAmmText();
        defaultTemplate = options.MessageTemplate;
        MessageTraits = new OtpClients.Messages.OtpMessageTraits { DefaultCodeLength = options.CodeLength ?? 4, DefaultTemplate = options.MessageTemplate };
        defaultSender = options.Sender;
        detectSpentAttempts = options.DetectSpentAttempts;
        appId = options.AppId;
        encoding = options.Encoding;
        defaultCodeLength = options.CodeLength;
        maxRetry = options.MaxRetry;
        defaultTimeToLive = options.TimeToLive;
        sandbox = options.Sandbox;
    }

    /// <inheritdoc />
    public string ProviderName => OtpProviderNames.Amm;

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
        if (Prepare(request, out var phone, out var form, out var timeToLive) is { } invalid)
        {
            return scope.Done(OtpSendResult.Failure(invalid));
        }

        var response = await ProviderTransport.ReceiveAsync(api.SendAsync(form.ToBody(), credentials, AmmOperations.Send, cancellationToken), AmmOperations.Send, AmmJsonContext.Default.AmmSendResponse, AmmJsonContext.Default.AmmErrorResponse, channel, cancellationToken).ConfigureAwait(false);
        if (response.TransportError is { } transport)
        {
            return scope.Done(OtpSendResult.Failure(transport));
        }

        if (response.IsSuccessStatusCode && response.Content is { VerifyId: { Length: > 0 } verifyId } && RequestChecks.IsWellFormedId(verifyId))
        {
            return scope.Done(OtpSendResult.Success(new OtpChallenge(ProviderName, verifyId, phone.E164)
            {
                ExpiresAt = timeProvider.GetUtcNow() + timeToLive,
                MaxAttempts = maxRetry ?? DefaultMaxRetry, // AMM closes the request after that many wrong codes
            }));
        }

        var errorMsg = response.Content?.ErrorMsg ?? response.ErrorContent?.ErrorMsg;
        if (response.IsSuccessStatusCode && errorMsg is null)
        {
            return scope.Done(OtpSendResult.Failure(HttpStatusErrors.Unreadable(response.StatusCode, AmmOperations.Send, "the answer has no verify_id")));
        }

        return scope.Done(OtpSendResult.Failure(AmmErrors.FromAnswer(response.StatusCode, errorMsg, AmmOperations.Send, response.RetryAfter, [phone.Digits, phone.National, .. credentialSecrets])));
    }

    private async Task<OtpVerifyResult> VerifyCoreAsync(OtpVerifyRequest request, OtpCall call, CancellationToken cancellationToken)
    {
        using var scope = OtpTelemetry.Begin(call);
        if (RequestChecks.CheckCode(request, out var code) is { } rejected)
        {
            return scope.Done(rejected);
        }

        string? clientIp = null;
        if ((RequestChecks.CheckChallenge(request.Challenge, ProviderName, out var phone) ?? RequestChecks.CheckIpAddress(request.ClientIpAddress, out clientIp)) is { } invalid)
        {
            return scope.Done(OtpVerifyResult.Failure(invalid));
        }

        var response = await ProviderTransport.ReceiveAsync(api.CheckAsync(request.Challenge.Id, code, clientIp, credentials, AmmOperations.Check, cancellationToken), AmmOperations.Check, AmmJsonContext.Default.AmmCheckResponse, AmmJsonContext.Default.AmmErrorResponse, channel, cancellationToken, strict: true).ConfigureAwait(false);
        if (response.TransportError is { } transport)
        {
            return scope.Done(OtpVerifyResult.Failure(transport));
        }

        var content = response.IsSuccessStatusCode ? response.Content : null;
        var status = response.IsSuccessStatusCode ? content?.VerifyStatus ?? content?.ErrorMsg : response.ErrorContent?.ErrorMsg;

        // Only the documented success form, exactly (HTTP 200 with verify_status VERIFIED), verifies, and only when
        // nothing in the answer contradicts it: an errorMsg beside it, or another verify_id. Fail closed.
        if (response.StatusCode == 200 && string.Equals(content?.VerifyStatus, AmmErrors.VerifiedStatus, StringComparison.Ordinal))
        {
            if (!string.IsNullOrWhiteSpace(content!.ErrorMsg))
            {
                return scope.Done(OtpVerifyResult.Failure(Contradiction(response.StatusCode, "VERIFIED came with an errorMsg", Diagnostics.Redactor.Clean(content.ErrorMsg, [code, phone!.Digits, phone.National, .. credentialSecrets])), AmmErrors.VerifiedStatus));
            }

            if (content.VerifyId is { } answeredId && !string.Equals(answeredId, request.Challenge.Id, StringComparison.Ordinal))
            {
                return scope.Done(OtpVerifyResult.Failure(Contradiction(response.StatusCode, "VERIFIED came for another verify_id", null), AmmErrors.VerifiedStatus));
            }

            return scope.Done(OtpVerifyResult.Verified(AmmErrors.VerifiedStatus));
        }

        string?[] secrets = [code, phone!.Digits, phone.National, .. credentialSecrets];
        if (status is null)
        {
            return scope.Done(OtpVerifyResult.Failure(response.IsSuccessStatusCode
                ? HttpStatusErrors.Unreadable(response.StatusCode, AmmOperations.Check, "the answer has no verify_status")
                : AmmErrors.FromAnswer(response.StatusCode, null, AmmOperations.Check, response.RetryAfter, secrets)));
        }

        var raw = Diagnostics.Redactor.Clean(status, secrets);
        if (AmmErrors.TryGetVerifyStatus(status, out var mapped) && mapped != OtpVerificationStatus.Verified)
        {
            return scope.Done(mapped switch
            {
                OtpVerificationStatus.InvalidCode when detectSpentAttempts => await ClassifyFailedAsync(request.Challenge.Id, raw ?? AmmErrors.FailedStatus, cancellationToken).ConfigureAwait(false),
                _ => OtpVerifyResult.Rejected(mapped, raw),
            });
        }

        if (response.IsSuccessStatusCode && content?.VerifyStatus is not null)
        {
            return scope.Done(OtpVerifyResult.Failure(
                new OtpError(OtpErrorCode.UnexpectedResponse, $"{AmmOperations.Check}: AMM answered an undocumented verify_status; it is not taken as verified (HTTP {response.StatusCode}).")
                {
                    ProviderCode = raw,
                    HttpStatusCode = response.StatusCode,
                    MayHaveBeenAccepted = true,
                },
                raw));
        }

        return scope.Done(OtpVerifyResult.Failure(AmmErrors.FromAnswer(response.StatusCode, status, AmmOperations.Check, response.RetryAfter, secrets), raw));
    }

    /// <summary>A success that contradicts itself or the challenge: not verified, and the code may have been consumed.</summary>
    private static OtpError Contradiction(int status, string what, string? providerCode) =>
        new(OtpErrorCode.UnexpectedResponse, $"{AmmOperations.Check}: {what}; it is not taken as verified (HTTP {status}).")
        {
            ProviderCode = providerCode,
            HttpStatusCode = status,
            MayHaveBeenAccepted = true,
        };

    /// <summary>Cancels a code that was not used yet (<c>verify/command</c> with <c>command=DELETE</c>); its code can no longer be verified.</summary>
    /// <param name="challenge">The challenge returned by <see cref="SendAsync"/>.</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>Success, or the error: <see cref="OtpErrorCode.NotFound"/> for an unknown id, <see cref="OtpErrorCode.InvalidRequest"/> (<c>BAD STATUS</c>) for a code already used, expired or cancelled.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="challenge"/> is <see langword="null"/>.</exception>
    public Task<OtpCancelResult> CancelAsync(OtpChallenge challenge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        return RequestChecks.CheckChallenge(challenge, ProviderName, out _) is { } invalid
            ? Task.FromResult(OtpCancelResult.Failure(invalid))
            : CancelAsync(challenge.Id, cancellationToken);
    }

    /// <summary>Cancels a code by its AMM <c>verify_id</c>.</summary>
    /// <param name="verifyId">The <c>verify_id</c> (<see cref="OtpChallenge.Id"/>).</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>Success, or the error.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="verifyId"/> is <see langword="null"/>.</exception>
    public Task<OtpCancelResult> CancelAsync(string verifyId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verifyId);
        return CancelCoreAsync(verifyId, Call("cancel", "otp.cancel", null), cancellationToken);
    }

    private async Task<OtpCancelResult> CancelCoreAsync(string verifyId, OtpCall call, CancellationToken cancellationToken)
    {
        using var scope = OtpTelemetry.Begin(call);
        if (!RequestChecks.IsWellFormedId(verifyId))
        {
            return scope.Done(OtpCancelResult.Failure(RequestChecks.InvalidRequest($"verifyId is empty or malformed (1 to {RequestChecks.MaxChallengeIdLength} characters, no white space).")));
        }

        var response = await ProviderTransport.ReceiveAsync(api.CommandAsync(new FormBody(("verify_id", verifyId), ("command", CancelCommand)), credentials, AmmOperations.Command, cancellationToken), AmmOperations.Command, AmmJsonContext.Default.AmmCommandResponse, AmmJsonContext.Default.AmmErrorResponse, channel, cancellationToken).ConfigureAwait(false);
        if (response.TransportError is { } transport)
        {
            return scope.Done(OtpCancelResult.Failure(transport));
        }

        if (response.IsSuccessStatusCode && response.Content is { ErrorMsg: null } content)
        {
            return scope.Done(string.Equals(content.Command?.Trim(), CancelCommand, StringComparison.OrdinalIgnoreCase)
                ? OtpCancelResult.Success()
                : OtpCancelResult.Failure(HttpStatusErrors.Unreadable(response.StatusCode, AmmOperations.Command, "the answer does not confirm the DELETE command")));
        }

        var errorMsg = response.Content?.ErrorMsg ?? response.ErrorContent?.ErrorMsg;
        if (response.IsSuccessStatusCode && errorMsg is null)
        {
            return scope.Done(OtpCancelResult.Failure(HttpStatusErrors.Unreadable(response.StatusCode, AmmOperations.Command, "the answer could not be read")));
        }

        return scope.Done(OtpCancelResult.Failure(AmmErrors.FromAnswer(response.StatusCode, errorMsg, AmmOperations.Command, response.RetryAfter, credentialSecrets)));
    }

    /// <summary>Reads the history of a code (<c>verify/search</c>): its status, dates and checks. A pure read, retried when it fails.</summary>
    /// <param name="challenge">The challenge returned by <see cref="SendAsync"/>.</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>The history, or the error.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="challenge"/> is <see langword="null"/>.</exception>
    public Task<OtpResult<AmmVerification>> SearchAsync(OtpChallenge challenge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        return RequestChecks.CheckChallenge(challenge, ProviderName, out _) is { } invalid
            ? Task.FromResult(OtpResult<AmmVerification>.Failure(invalid))
            : SearchAsync(challenge.Id, cancellationToken);
    }

    /// <summary>Reads the history of a code by its AMM <c>verify_id</c>.</summary>
    /// <param name="verifyId">The <c>verify_id</c> (<see cref="OtpChallenge.Id"/>).</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>The history, or the error.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="verifyId"/> is <see langword="null"/>.</exception>
    public Task<OtpResult<AmmVerification>> SearchAsync(string verifyId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verifyId);
        return SearchCoreAsync(verifyId, Call("search", "otp.search", null), cancellationToken);
    }

    private async Task<OtpResult<AmmVerification>> SearchCoreAsync(string verifyId, OtpCall call, CancellationToken cancellationToken)
    {
        using var scope = OtpTelemetry.Begin(call);
        if (!RequestChecks.IsWellFormedId(verifyId))
        {
            return scope.Done(OtpResult<AmmVerification>.Failure(RequestChecks.InvalidRequest($"verifyId is empty or malformed (1 to {RequestChecks.MaxChallengeIdLength} characters, no white space).")));
        }

        var response = await ProviderTransport.ReceiveAsync(api.SearchAsync(verifyId, credentials, AmmOperations.Search, cancellationToken), AmmOperations.Search, AmmJsonContext.Default.AmmSearchResponse, AmmJsonContext.Default.AmmErrorResponse, channel, cancellationToken).ConfigureAwait(false);
        if (response.TransportError is { } transport)
        {
            return scope.Done(OtpResult<AmmVerification>.Failure(transport));
        }

        if (response.IsSuccessStatusCode && response.Content is { ErrorMsg: null } content)
        {
            return scope.Done(OtpResult<AmmVerification>.Success(new AmmVerification
            {
                VerifyId = content.VerifyId ?? verifyId,
                Status = content.VerifyStatus,
                To = content.To,
                From = content.From,
                SmsId = content.IdSms,
                SandboxCode = content.Codice,
                SubmittedAt = FromUnixMilliseconds(content.DateSubmit),
                ValidUntil = FromUnixMilliseconds(content.ValidUntil),
                Checks = content.Checks?.Where(c => c is not null).Select(c => new AmmVerificationCheck
                {
                    Date = FromUnixMilliseconds(c!.Date),
                    Code = c.VerifyCode,
                    Status = c.VerifyStatus,
                    IpAddress = c.IpAddress,
                }).ToArray() ?? [],
            }));
        }

        var errorMsg = response.Content?.ErrorMsg ?? response.ErrorContent?.ErrorMsg;
        if (response.IsSuccessStatusCode && errorMsg is null)
        {
            return scope.Done(OtpResult<AmmVerification>.Failure(HttpStatusErrors.Unreadable(response.StatusCode, AmmOperations.Search, "the answer could not be read")));
        }

        return scope.Done(OtpResult<AmmVerification>.Failure(AmmErrors.FromAnswer(response.StatusCode, errorMsg, AmmOperations.Search, response.RetryAfter, credentialSecrets)));
    }

    /// <summary>
    /// A check answered FAILED: the code was wrong. AMM documents no separate answer for a code whose attempts
    /// (<c>max_retry</c>) are spent, so the request's current status is read (<c>search</c>, a safe read): a request that
    /// is itself FAILED is closed, which is <see cref="OtpVerificationStatus.TooManyAttempts"/>. Anything else, and a
    /// read that fails, stays <see cref="OtpVerificationStatus.InvalidCode"/>.
    /// </summary>
    private async Task<OtpVerifyResult> ClassifyFailedAsync(string verifyId, string status, CancellationToken cancellationToken)
    {
        // Part of the verify, not an operation of the app's: traced and measured as a search, but not logged at
        // Information (the HTTP exchange is logged at Debug, as every exchange).
        var quiet = new OtpCall("search", "otp.search", ProviderName, null, NullLogger.Instance, timeProvider);
        var search = await SearchCoreAsync(verifyId, quiet, cancellationToken).ConfigureAwait(false);
        return search.IsSuccess && string.Equals(search.Value.Status, AmmErrors.FailedStatus, StringComparison.Ordinal)
            ? OtpVerifyResult.Rejected(OtpVerificationStatus.TooManyAttempts, status)
            : OtpVerifyResult.Rejected(OtpVerificationStatus.InvalidCode, status);
    }

    private OtpCall Call(string operation, string activityName, string? phone) => new(operation, activityName, ProviderName, phone, logger, timeProvider);
}
