using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OtpClients.Identity;
using OtpClients.Identity.UI;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds SMS pages to ASP.NET Core Identity's default UI.</summary>
public static class OtpIdentityUIBuilderExtensions
{
    /// <summary>
    /// Adds SMS to Identity's default UI (<c>AddDefaultIdentity</c>, or <c>AddIdentity</c> with <c>AddDefaultUI</c>): a
    /// "Phone and SMS" page under <c>/Identity/Account/Manage/Phone</c> to add, confirm by SMS, change and remove the
    /// phone and to turn SMS two-factor sign-in on (with recovery codes), and an SMS sign-in page
    /// (<c>/Identity/Account/LoginWithSms</c>) with resend, beside the authenticator app and the recovery codes. It also
    /// registers the OTP token provider (<c>AddOtpTokenProvider</c>) unless that was done already. The codes are sent
    /// and checked by the OTP client of <c>AddOtpClient</c>.
    /// </summary>
    /// <param name="builder">The Identity builder.</param>
    /// <param name="configure">Adjusts the pages' settings.</param>
    /// <param name="providerName">The token provider's name. Defaults to Identity's phone provider, <c>"Phone"</c>.</param>
    /// <returns>The Identity builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="providerName"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="providerName"/> is empty.</exception>
    /// <remarks>
    /// The "Phone and SMS" link is added to the account pages' menu by this package's copy of Identity's
    /// <c>_ManageNav</c>. An app that scaffolded its own <c>Areas/Identity/Pages/Account/Manage/_ManageNav.cshtml</c> keeps
    /// it and adds the link itself (the package README has the line).
    /// </remarks>
    public static IdentityBuilder AddOtpIdentityUI(this IdentityBuilder builder, Action<OtpIdentityUIOptions>? configure = null, string providerName = OtpIdentityBuilderExtensions.DefaultProviderName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(providerName);
        var tokenProvider = typeof(OtpTokenProvider<>).MakeGenericType(builder.UserType);
        if (!builder.Services.Any(d => d.ServiceType == tokenProvider))
        {
            builder.AddOtpTokenProvider(providerName);
        }

        var options = builder.Services.AddOptions<OtpIdentityUIOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options
            .PostConfigure(o => o.ProviderName = providerName)
            .Validate(o => o.RecoveryCodeCount >= 0, "OtpIdentityUIOptions.RecoveryCodeCount must not be negative.")
            .ValidateOnStart();
        builder.Services.TryAddScoped(typeof(OtpAccounts), typeof(OtpAccounts<>).MakeGenericType(builder.UserType));
        builder.Services.Configure<RazorPagesOptions>(pages =>
            pages.Conventions.AddAreaPageApplicationModelConvention("Identity", "/Account/LoginWith2fa", model => model.Filters.Add(new SmsFirstAtSignInFilter())));
        return builder;
    }
}
