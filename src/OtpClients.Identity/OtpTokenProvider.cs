using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OtpClients.Identity;

/// <summary>
/// An ASP.NET Core Identity token provider whose codes are made, texted and checked by the OTP provider behind
/// <see cref="IOtpVerificationSessions"/>, instead of being made locally for the app to text. Registered by
/// <c>identityBuilder.AddOtpTokenProvider()</c> as Identity's phone provider (<c>"Phone"</c>) and as the provider of
/// phone-number changes, so <c>SignInManager.TwoFactorSignInAsync</c>, <c>UserManager.GenerateChangePhoneNumberTokenAsync</c>
/// and <c>UserManager.ChangePhoneNumberAsync</c> use it unchanged.
/// </summary>
/// <typeparam name="TUser">The Identity user type.</typeparam>
/// <remarks>
/// <para>
/// <see cref="GenerateAsync"/> sends the code and returns an empty string: there is nothing for the app to text. The
/// verification stays server-side: a session (<see cref="IOtpVerificationSessions"/>) whose opaque id is kept in the
/// user's authentication tokens, one per purpose, so the browser never holds it. A new code for a purpose while its
/// session lives (the user asks again because the SMS did not come) is a resend of that session
/// (<see cref="IOtpVerificationSessions.ResendAsync(string, string?, System.Threading.CancellationToken)"/>): it goes through another provider of the route when there is one,
/// and the earlier code keeps working while it lives. Once the session is gone, a new one starts.
/// </para>
/// <para>
/// <see cref="ValidateAsync"/> checks the code against that session and accepts it only for what it was made for: the
/// whole purpose string (data included: a code for <c>"Approve:pay 10 EUR to bob"</c> does not validate
/// <c>"Approve:pay 9999 EUR to mallory"</c>, nor one for <c>"TwoFactor:x"</c> <c>"TwoFactor"</c>), the user's security
/// stamp at the time, and the number the purpose expects (the user's confirmed phone, or the new number of a change),
/// compared in E.164. A wrong, expired or used code, too many attempts or no code sent answer <see langword="false"/> (so
/// Identity's lockout counts it) and the reason is in <see cref="OtpTokenActivity.LastCheck"/> and in the log
/// (event 1500, with the purpose and status, never the code or the number). A provider failure throws
/// <see cref="OtpTokenProviderException"/> instead: an outage is not a wrong code and must not lock users out.
/// </para>
/// <para>
/// Codes go only to a confirmed phone, whatever the purpose, except a phone-number change (which confirms the new
/// number); <see cref="OtpTokenProviderOptions.AllowUnconfirmedPhone"/> relaxes it. Phone numbers must be stored in
/// international form (E.164, <c>+972501234567</c>; normalise what users type with <see cref="OtpPhoneNumbers.Normalize"/>),
/// or in national form with <see cref="OtpTokenProviderOptions.DefaultRegion"/> set.
/// </para>
/// </remarks>
public sealed partial class OtpTokenProvider<TUser> : IUserTwoFactorTokenProvider<TUser>
    where TUser : class
{
    private const string ChangePhoneNumberPrefix = "ChangePhoneNumber:";
    private readonly IServiceProvider services;
    private readonly OtpTokenProviderOptions options;
    private readonly OtpTokenActivity activity;
    private readonly ILogger logger;

    /// <summary>Initializes a new instance of the <see cref="OtpTokenProvider{TUser}"/> class (resolved by Identity from the services).</summary>
    /// <param name="services">The scope's services: the verification sessions are resolved from them.</param>
    /// <param name="options">The provider's settings.</param>
    /// <param name="activity">The scope's record of sends and checks.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public OtpTokenProvider(IServiceProvider services, IOptions<OtpTokenProviderOptions> options, OtpTokenActivity activity, ILogger<OtpTokenProvider<TUser>> logger)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(logger);
        this.services = services;
        this.options = options.Value;
        this.activity = activity;
        this.logger = logger;
    }

    /// <summary>
    /// Tells whether the user can get two-factor codes: they have a confirmed phone number in international form, or in
    /// national form with <see cref="OtpTokenProviderOptions.DefaultRegion"/> set.
    /// </summary>
    /// <param name="manager">The user manager.</param>
    /// <param name="user">The user.</param>
    /// <returns><see langword="true"/> when the user has a confirmed, well-formed phone number.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="manager"/> or <paramref name="user"/> is <see langword="null"/>.</exception>
    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<TUser> manager, TUser user)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(user);
        var phone = await manager.GetPhoneNumberAsync(user).ConfigureAwait(false);
        return PhoneNumber.TryParse(phone, options.DefaultRegion, out _, out _) && await manager.IsPhoneNumberConfirmedAsync(user).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a code for <paramref name="purpose"/> to the user's phone number (for a phone-number change, to the new
    /// number named in the purpose) and keeps the verification server-side.
    /// </summary>
    /// <param name="purpose">Identity's purpose: <c>"TwoFactor"</c>, <c>"ChangePhoneNumber:+…"</c> or the app's own.</param>
    /// <param name="manager">The user manager.</param>
    /// <param name="user">The user.</param>
    /// <returns>An empty string: the code went by SMS from the provider; there is nothing for the app to send.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="OtpTokenProviderException">
    /// The code was not sent: the user has no usable or no confirmed phone number
    /// (<see cref="OtpErrorCode.InvalidRequest"/>), the send guard refused it, or the provider failed.
    /// </exception>
    /// <exception cref="InvalidOperationException">No OTP client is registered, or the user store cannot keep authentication tokens.</exception>
    public async Task<string> GenerateAsync(string purpose, UserManager<TUser> manager, TUser user)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(user);
        var (phone, problem) = await ExpectedPhoneAsync(purpose, manager, user).ConfigureAwait(false);
        if (phone is null)
        {
            var error = new OtpError(OtpErrorCode.InvalidRequest, problem!);
            activity.LastSend = OtpSessionStartResult.Failure(error);
            throw new OtpTokenProviderException(error);
        }

        var sessions = Sessions();
        var clientIp = options.ClientIpAddress?.Invoke(services);
        var channel = activity.NextChannel;
        activity.NextChannel = null;
        OtpSessionStartResult? started = null;
        var stamp = await StampAsync(manager, user).ConfigureAwait(false);
        var (liveId, liveBinding) = ReadToken(await manager.GetAuthenticationTokenAsync(user, options.LoginProvider, PurposeName(purpose)).ConfigureAwait(false));
        if (liveId is not null && liveBinding == Binding(liveId, purpose, stamp, phone.E164))
        {
            // A new code for a purpose whose code did not arrive: the same session, through another provider of the
            // route when there is one (IOtpVerificationSessions.ResendAsync). A session that is gone starts anew.
            started = channel is { } asked
                ? await sessions.ResendAsync(liveId, asked, clientIp).ConfigureAwait(false)
                : await sessions.ResendAsync(liveId, clientIp).ConfigureAwait(false);
            if (started.Error?.Code is OtpErrorCode.NotFound || started.Error?.ProviderCode is "session_attempts")
            {
                started = null;
            }
        }

        started ??= await sessions.StartAsync(new OtpSendRequest(phone.E164)
        {
            MessageTemplate = options.MessageTemplate,
            Sender = options.Sender,
            ClientIpAddress = clientIp,
            Channel = channel ?? OtpChannel.Sms,
        }).ConfigureAwait(false);
        activity.LastSend = started;
        if (!started.IsSuccess)
        {
            LogSendFailed(logger, PurposeName(purpose), started.Error.Code);
            throw new OtpTokenProviderException(started.Error);
        }

        var stored = await manager.SetAuthenticationTokenAsync(user, options.LoginProvider, PurposeName(purpose), started.VerificationId + "." + Binding(started.VerificationId, purpose, stamp, phone.E164)).ConfigureAwait(false);
        if (!stored.Succeeded)
        {
            throw new InvalidOperationException("The OTP token provider could not keep the verification in the user's authentication tokens: " + string.Join(" ", stored.Errors.Select(e => e.Code)));
        }

        LogSent(logger, PurposeName(purpose), started.ProviderName);
        return string.Empty;
    }

    /// <summary>Checks a code the user typed for <paramref name="purpose"/>.</summary>
    /// <param name="purpose">The purpose the code was generated for.</param>
    /// <param name="token">The code the user typed (spaces and dashes are ignored).</param>
    /// <param name="manager">The user manager.</param>
    /// <param name="user">The user.</param>
    /// <returns>
    /// <see langword="true"/> when the provider verified the code and it was sent to the number the purpose expects; the
    /// session is then gone, so the code works once. <see langword="false"/> otherwise, with the reason in
    /// <see cref="OtpTokenActivity.LastCheck"/>.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="purpose"/>, <paramref name="manager"/> or <paramref name="user"/> is <see langword="null"/>.</exception>
    /// <exception cref="OtpTokenProviderException">The provider could not check the code (it is down, or answered something unreadable).</exception>
    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<TUser> manager, TUser user)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(user);
        var name = PurposeName(purpose);
        var (verificationId, binding) = ReadToken(await manager.GetAuthenticationTokenAsync(user, options.LoginProvider, name).ConfigureAwait(false));
        if (string.IsNullOrEmpty(verificationId))
        {
            return Refuse(name, OtpVerifyResult.Rejected(OtpVerificationStatus.NotFound));
        }

        // The code answers for the whole purpose it was made for (its data included: "Approve:pay 10 EUR to bob" is not
        // "Approve:pay 9999 EUR to mallory"), the user's security stamp and the number it was sent to. Anything else is
        // no code of this purpose: refused before any check, so the session's attempts are not spent.
        var (expected, _) = await ExpectedPhoneAsync(purpose, manager, user).ConfigureAwait(false);
        if (expected is null || binding != Binding(verificationId, purpose, await StampAsync(manager, user).ConfigureAwait(false), expected.E164))
        {
            return Refuse(name, OtpVerifyResult.Rejected(OtpVerificationStatus.NotFound));
        }

        var code = Normalize(token);
        if (code.Length == 0)
        {
            return Refuse(name, OtpVerifyResult.Rejected(OtpVerificationStatus.InvalidCode));
        }

        var result = await Sessions().CheckAsync(verificationId, code, options.ClientIpAddress?.Invoke(services)).ConfigureAwait(false);
        activity.LastCheck = result;
        switch (result.Status)
        {
            case OtpVerificationStatus.Verified:
                await manager.RemoveAuthenticationTokenAsync(user, options.LoginProvider, name).ConfigureAwait(false);
                if (!PhoneNumber.TryParse(result.PhoneNumber, out var verified) || verified != expected)
                {
                    // The code was right, but for another number than the purpose expects (the phone changed since).
                    LogPhoneMismatch(logger, name);
                    activity.LastCheck = OtpVerifyResult.Rejected(OtpVerificationStatus.NotFound, result.ProviderStatus);
                    return false;
                }

                LogVerified(logger, name);
                return true;
            case OtpVerificationStatus.Failed:
                LogCheckFailed(logger, name, result.Error!.Code);
                throw new OtpTokenProviderException(result.Error);
            case OtpVerificationStatus.InvalidCode:
                return Refuse(name, result);
            default:
                // Expired, used, cancelled, too many attempts or gone: this code can never work; a new one is needed.
                await manager.RemoveAuthenticationTokenAsync(user, options.LoginProvider, name).ConfigureAwait(false);
                return Refuse(name, result);
        }
    }

    private bool Refuse(string purposeName, OtpVerifyResult result)
    {
        activity.LastCheck = result;
        LogRefused(logger, purposeName, result.Status);
        return false;
    }

    private IOtpVerificationSessions Sessions()
    {
        var sessions = options.ClientName is null
            ? services.GetService<IOtpVerificationSessions>()
            : services.GetKeyedService<IOtpVerificationSessions>(options.ClientName);
        return sessions ?? throw new InvalidOperationException(options.ClientName is null
            ? "The OTP token provider needs an OTP client: call services.AddOtpClient(…)."
            : $"The OTP token provider needs the OTP client '{options.ClientName}' (OtpTokenProviderOptions.ClientName): call services.AddOtpClient(\"{options.ClientName}\", …).");
    }

    /// <summary>The number a purpose sends to: the new number of a change, otherwise the user's confirmed phone.</summary>
    private async Task<(PhoneNumber? Phone, string? Problem)> ExpectedPhoneAsync(string purpose, UserManager<TUser> manager, TUser user)
    {
        var region = options.DefaultRegion;
        var form = region is null
            ? "in international form (or set OtpTokenProviderOptions.DefaultRegion to read national numbers)"
            : $"a phone number (international, or national of {region})";
        if (purpose.StartsWith(ChangePhoneNumberPrefix, StringComparison.Ordinal))
        {
            return PhoneNumber.TryParse(purpose[ChangePhoneNumberPrefix.Length..], region, out var changed, out var error)
                ? (changed, null)
                : (null, $"The new phone number is not {form}: {error}");
        }

        var phone = await manager.GetPhoneNumberAsync(user).ConfigureAwait(false);
        if (!PhoneNumber.TryParse(phone, region, out var number, out var problem))
        {
            return (null, phone is null ? "The user has no phone number." : $"The user's phone number is not {form}: {problem}");
        }

        if (!options.AllowUnconfirmedPhone && !await manager.IsPhoneNumberConfirmedAsync(user).ConfigureAwait(false))
        {
            return (null, "The user's phone number is not confirmed; codes go only to a confirmed number (confirm it with a phone-number change, or see OtpTokenProviderOptions.AllowUnconfirmedPhone).");
        }

        return (number, null);
    }

    /// <summary>The purpose without its data (a change's purpose carries the new number): the authentication token's name.</summary>
    private static string PurposeName(string purpose)
    {
        var colon = purpose.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? purpose : purpose[..colon];
    }

    /// <summary>
    /// Reads the stored token: the session's id and its binding (<c>"{id}.{binding}"</c>; an id alone from earlier
    /// versions binds nothing and is refused), so that a code answers only for what it was made for.
    /// </summary>
    private static (string? Id, string? NumberTag) ReadToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return (null, null);
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? (token, null) : (token[..dot], token[(dot + 1)..]);
    }

    /// <summary>
    /// What a code is bound to, salted by the session's id: the whole purpose string, the user's security stamp and the
    /// number (E.164). The token store holds no number or purpose data, only whether they are still the same.
    /// </summary>
    private static string Binding(string verificationId, string purpose, string stamp, string e164) =>
        System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(verificationId + "\n" + purpose + "\n" + stamp + "\n" + e164)).AsSpan(0, 12));

    private static async Task<string> StampAsync(UserManager<TUser> manager, TUser user) =>
        manager.SupportsUserSecurityStamp ? await manager.GetSecurityStampAsync(user).ConfigureAwait(false) ?? string.Empty : string.Empty;

    /// <summary>The code as typed, without the spaces and dashes people type between its groups.</summary>
    private static string Normalize(string? token) =>
        string.IsNullOrEmpty(token) ? string.Empty : string.Concat(token.Where(c => c is not (' ' or '-' or '\t')));

    [LoggerMessage(EventId = 1500, Level = LogLevel.Information, Message = "OTP token for {Purpose} refused: {Status}")]
    private static partial void LogRefused(ILogger logger, string purpose, OtpVerificationStatus status);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "OTP token for {Purpose} was verified for another phone number than the purpose expects; refused")]
    private static partial void LogPhoneMismatch(ILogger logger, string purpose);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Warning, Message = "OTP token for {Purpose} could not be sent: {Code}")]
    private static partial void LogSendFailed(ILogger logger, string purpose, OtpErrorCode code);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Warning, Message = "OTP token for {Purpose} could not be checked: {Code}")]
    private static partial void LogCheckFailed(ILogger logger, string purpose, OtpErrorCode code);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Debug, Message = "OTP token for {Purpose} sent through {Provider}")]
    private static partial void LogSent(ILogger logger, string purpose, string provider);

    [LoggerMessage(EventId = 1505, Level = LogLevel.Debug, Message = "OTP token for {Purpose} verified")]
    private static partial void LogVerified(ILogger logger, string purpose);
}
