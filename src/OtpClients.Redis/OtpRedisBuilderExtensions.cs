using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OtpClients.Delivery;
using OtpClients.Guard;
using OtpClients.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Shares the send guard's counters and the verification sessions of OTP clients between app instances, through Redis.</summary>
public static class OtpRedisBuilderExtensions
{
    /// <summary>
    /// Keeps the send guard's counters (<see cref="IOtpGuardStore"/>), the verification sessions
    /// (<see cref="IOtpSessionStore"/>) and the delivery-health figures (<see cref="IOtpDeliveryHealthStore"/>) in Redis,
    /// for every OTP client in the services: one Lua script (one round trip)
    /// per guard check, keys under <see cref="OtpRedisOptions.KeyPrefix"/> with numbers only as keyed hashes, session
    /// values encrypted, sessions expiring with their challenge. When Redis cannot be reached, the guard does what
    /// <see cref="OtpSendGuardOptions.OnStoreFailure"/> says (fail closed by default) and session checks fail with
    /// <see cref="OtpClients.OtpErrorCode.ProviderUnavailable"/>.
    /// </summary>
    /// <param name="builder">The OTP client builder.</param>
    /// <param name="configuration">The StackExchange.Redis configuration string, e.g. <c>localhost:6379</c>.</param>
    /// <param name="configure">Sets the other options; <see cref="OtpRedisOptions.HashKey"/> is required.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="configuration"/> is empty.</exception>
    public static OtpClientBuilder UseRedis(this OtpClientBuilder builder, string configuration, Action<OtpRedisOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(builder, "Redis", o =>
        {
            o.Configuration = configuration;
            configure(o);
        });
    }

    /// <summary>
    /// Keeps the guard's counters and the sessions in Redis (see <see cref="UseRedis(OtpClientBuilder, string, Action{OtpRedisOptions})"/>),
    /// over the <c>StackExchange.Redis.IConnectionMultiplexer</c> registered in the services unless
    /// <see cref="OtpRedisOptions.Configuration"/> is set.
    /// </summary>
    /// <param name="builder">The OTP client builder.</param>
    /// <param name="configure">Sets the options; <see cref="OtpRedisOptions.HashKey"/> is required.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static OtpClientBuilder UseRedis(this OtpClientBuilder builder, Action<OtpRedisOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(builder, "Redis", configure);
    }

    /// <summary>
    /// Keeps the guard's counters and the sessions in Redis, with the options bound from a configuration section
    /// (<c>Configuration</c>, <c>KeyPrefix</c>, <c>HashKey</c>, <c>Database</c>), e.g. <c>configuration.GetSection("Otp:Redis")</c>;
    /// without <c>Configuration</c>, the registered <c>IConnectionMultiplexer</c> is used.
    /// </summary>
    /// <param name="builder">The OTP client builder.</param>
    /// <param name="section">The section.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">
    /// A key of the section is not a setting (a misspelt key would be ignored); the message names its configuration path
    /// and the key meant.
    /// </exception>
    public static OtpClientBuilder UseRedis(this OtpClientBuilder builder, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        var path = section is IConfigurationSection named ? named.Path : "Redis";
        builder.ThrowIfUnknownKeys<OtpRedisOptions>(section); // a misspelt key would be ignored: refuse to start
        builder.Services.AddOptions<OtpRedisOptions>().Bind(section);
        return AddCore(builder, path, null);
    }

    private static OtpClientBuilder AddCore(OtpClientBuilder builder, string path, Action<OtpRedisOptions>? configure)
    {
        var services = builder.Services;
        var options = services.AddOptions<OtpRedisOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.RemoveAll<IValidateOptions<OtpRedisOptions>>();
        services.AddSingleton<IValidateOptions<OtpRedisOptions>>(new OtpRedisOptionsValidator(path));
        services.TryAddSingleton(sp => new RedisConnection(sp.GetRequiredService<IOptions<OtpRedisOptions>>().Value, sp, path));
        services.TryAddSingleton(static sp => new RedisKeys(sp.GetRequiredService<IOptions<OtpRedisOptions>>().Value));
        services.Replace(ServiceDescriptor.Singleton<IOtpGuardStore>(static sp => new RedisOtpGuardStore(sp.GetRequiredService<RedisConnection>(), sp.GetRequiredService<RedisKeys>())));
        services.Replace(ServiceDescriptor.Singleton<IOtpSessionStore>(static sp => new RedisOtpSessionStore(sp.GetRequiredService<RedisConnection>(), sp.GetRequiredService<RedisKeys>())));
        services.Replace(ServiceDescriptor.Singleton<IOtpDeliveryHealthStore>(static sp => new RedisOtpDeliveryHealthStore(sp.GetRequiredService<RedisConnection>(), sp.GetRequiredService<RedisKeys>())));
        return builder;
    }
}
