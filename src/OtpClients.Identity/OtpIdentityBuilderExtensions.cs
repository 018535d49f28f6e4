using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpClients.Failover;
using OtpClients.Identity;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Plugs OtpClients into ASP.NET Core Identity.</summary>
public static partial class OtpIdentityBuilderExtensions
{
    /// <summary>The default token provider name: Identity's phone provider (<see cref="TokenOptions.DefaultPhoneProvider"/>, <c>"Phone"</c>).</summary>
    public const string DefaultProviderName = "Phone";

    /// <summary>
    /// Registers <see cref="OtpTokenProvider{TUser}"/> under <paramref name="providerName"/> (by default Identity's phone
    /// provider, <c>"Phone"</c>, replacing the built-in one whatever the order of calls) and makes it the provider of
    /// phone-number changes (<see cref="TokenOptions.ChangePhoneNumberTokenProvider"/>). Codes are then sent and checked by
    /// the OTP client registered with <c>AddOtpClient</c>, through its verification sessions (guard included).
    /// </summary>
    /// <param name="builder">The Identity builder.</param>
    /// <param name="providerName">The token provider's name. Defaults to <see cref="DefaultProviderName"/>.</param>
    /// <param name="configure">Adjusts the settings.</param>
    /// <returns>The Identity builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="providerName"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="providerName"/> is empty.</exception>
    /// <remarks>The user store must keep authentication tokens (<see cref="IUserAuthenticationTokenStore{TUser}"/>), as the Entity Framework store does.</remarks>
    public static IdentityBuilder AddOtpTokenProvider(this IdentityBuilder builder, string providerName = DefaultProviderName, Action<OtpTokenProviderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(providerName);
        var providerType = typeof(OtpTokenProvider<>).MakeGenericType(builder.UserType);
        var options = builder.Services.AddOptions<OtpTokenProviderOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options
            .Validate(o => !string.IsNullOrWhiteSpace(o.LoginProvider), "OtpTokenProviderOptions.LoginProvider must not be empty.")
            .Validate(o => o.DefaultRegion is null || OtpRoutes.IsRegionCode(o.DefaultRegion), "OtpTokenProviderOptions.DefaultRegion must be an ISO 3166-1 alpha-2 region code that phone numbers have, such as IL or IT.")
            .ValidateOnStart();
        builder.Services.AddHttpContextAccessor(); // the default client IP: the request's remote address
        builder.Services.AddSingleton<IValidateOptions<OtpTokenProviderOptions>>(sp => new ClientIpWarning(sp));
        builder.Services.TryAddScoped<OtpTokenActivity>();
        builder.Services.TryAddTransient(providerType);
        builder.Services.AddSingleton<IPostConfigureOptions<IdentityOptions>>(new PostConfigureOptions<IdentityOptions>(Options.Options.DefaultName, identity =>
        {
            identity.Tokens.ProviderMap[providerName] = new TokenProviderDescriptor(providerType);
            identity.Tokens.ChangePhoneNumberTokenProvider = providerName;
        }));
        return builder;
    }

    /// <summary>Warns once at start when the send guard's per-IP rules are on and Identity's codes carry no client IP.</summary>
    private sealed class ClientIpWarning(IServiceProvider services) : IValidateOptions<OtpTokenProviderOptions>
    {
        public ValidateOptionsResult Validate(string? name, OtpTokenProviderOptions options)
        {
            if (options.ClientIpAddress is null)
            {
                var guard = services.GetService<IOptionsMonitor<OtpClients.Guard.OtpSendGuardOptions>>()?.Get(options.ClientName ?? Options.Options.DefaultName);
                if (guard is { Enabled: true } && (guard.MaxSendsPerIp > 0 || guard.MaxFailedChecksPerIp > 0 || guard.Conversion.Enabled))
                {
                    var logger = services.GetService<ILoggerFactory>()?.CreateLogger("OtpClients.Identity.OtpTokenProvider");
                    if (logger is not null)
                    {
                        LogNoClientIp(logger);
                    }
                }
            }

            return ValidateOptionsResult.Skip;
        }
    }

    [LoggerMessage(EventId = 1506, Level = LogLevel.Warning, Message = "OtpTokenProviderOptions.ClientIpAddress is null: Identity's codes carry no client IP, so the send guard's per-IP rules (SendGuard:MaxSendsPerIp, MaxFailedChecksPerIp, Conversion) never apply to them. Leave the default (the request's remote address) or give a function")]
    private static partial void LogNoClientIp(ILogger logger);
}
