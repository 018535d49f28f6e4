using OtpClients;
using OtpClients.Delivery;
using OtpClients.Guard;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The OTP client builder's protection: the send guard, verification sessions and delivery health, with their options' validation.</summary>
public sealed partial class OtpClientBuilder
{
    /// <summary>
    /// Puts the send guard in front of this client (failover and routing included): cooldown and budgets per number,
    /// client IP, region and app, allowed and blocked regions and numbers, distinct regions per IP, a conversion guard,
    /// and a cap on verify attempts (<see cref="OtpSendGuardOptions"/>; the defaults apply to what is not set). A refused
    /// send or verify makes no HTTP call. Counters live in the <see cref="IOtpGuardStore"/>: in memory unless a shared store
    /// such as <c>otp.UseRedis(…)</c> is registered. Options are validated at start. Calling it again adds to the configuration.
    /// </summary>
    /// <param name="configure">Sets the rules; <see langword="null"/> keeps the defaults.</param>
    /// <returns>This builder.</returns>
    public OtpClientBuilder UseSendGuard(Action<OtpSendGuardOptions>? configure = null)
    {
        EnsureNotCompleted();
        var options = Services.AddOptions<OtpSendGuardOptions>(OptionsName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        guarded = true;
        return this;
    }

    /// <summary>
    /// Turns on delivery health: the verification sessions of this client learn which providers deliver (a send verified
    /// in time counts for its provider and region; one not verified within <see cref="OtpDeliveryHealthOptions.VerifyWithin"/>,
    /// or sent again with <see cref="IOtpVerificationSessions.ResendAsync(string, string?, System.Threading.CancellationToken)"/>, counts against), and a provider whose sends stop
    /// converting is demoted for that region: new sessions try the next provider of the route first, with a few probes to
    /// it so that it earns its traffic back. Demotion only reorders; it never refuses a send. The figures live in the
    /// <see cref="IOtpDeliveryHealthStore"/>: in memory unless a shared store such as <c>otp.UseRedis(…)</c> is registered.
    /// Read them with <see cref="IOtpDeliveryHealth"/>. Options are validated at start. Calling it again adds to the configuration.
    /// </summary>
    /// <param name="configure">Sets the options; <see langword="null"/> keeps the defaults.</param>
    /// <returns>This builder.</returns>
    public OtpClientBuilder UseDeliveryHealth(Action<OtpDeliveryHealthOptions>? configure = null)
    {
        EnsureNotCompleted();
        var options = Services.AddOptions<OtpDeliveryHealthOptions>(OptionsName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        deliveryHealth = true;
        return this;
    }

    /// <summary>
    /// Configures the verification sessions (<see cref="IOtpVerificationSessions"/>) registered with this client: attempts
    /// and lifetime (<see cref="OtpSessionOptions"/>). Sessions are registered without this call, with the defaults.
    /// </summary>
    /// <param name="configure">Sets the options.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is <see langword="null"/>.</exception>
    public OtpClientBuilder UseSessions(Action<OtpSessionOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        EnsureNotCompleted();
        Services.AddOptions<OtpSessionOptions>(OptionsName).Configure(configure);
        return this;
    }

    /// <summary>The default session store's registration: in memory.</summary>
    private static readonly ServiceDescriptor InMemorySessionStore = ServiceDescriptor.Singleton<IOtpSessionStore>(static sp => new InMemoryOtpSessionStore(sp.GetRequiredService<TimeProvider>()));

    /// <summary>
    /// A <c>Redis</c> section with the stores still in memory: <c>AddOtpClient(configuration)</c> does not read it (the core
    /// names no store package), so a multi-instance app would keep its budgets and sessions per instance without a word.
    /// </summary>
    private static void RedisWithoutUseRedis(IServiceCollection services, string? path, List<string> errors)
    {
        // Read off the registrations (the last one wins), not by resolving the stores: a shared store's own options may
        // be invalid, and are reported by its own validator.
        var sessionStore = services.LastOrDefault(d => d.ServiceType == typeof(IOtpSessionStore) && !d.IsKeyedService);
        var guardStore = services.LastOrDefault(d => d.ServiceType == typeof(IOtpGuardStore) && !d.IsKeyedService);
        if (path is not null && (sessionStore is null || sessionStore == InMemorySessionStore || guardStore is null || guardStore.ImplementationType == typeof(InMemoryOtpGuardStore)))
        {
            errors.Add($"{path} is set, but the guard's counters and the sessions are in this process's memory: call otp.UseRedis(configuration.GetSection(\"{path}\")) from the OtpClients.Redis package, or remove {path}. Without it every app instance keeps its own budgets and sessions.");
        }
    }

    private static List<string> ValidateSessions(OtpSessionOptions options, string path)
    {
        var errors = new List<string>();
        if (options.MaxAttempts is < 1 or > 100)
        {
            errors.Add($"{path}:MaxAttempts must be from 1 to 100; it is {options.MaxAttempts}.");
        }

        if (options.DefaultTimeToLive < TimeSpan.FromMinutes(1) || options.DefaultTimeToLive > TimeSpan.FromDays(1))
        {
            errors.Add($"{path}:DefaultTimeToLive must be from 1 minute to 1 day; it is {options.DefaultTimeToLive}.");
        }

        return errors;
    }

    private static List<string> ValidateDeliveryHealth(OtpDeliveryHealthOptions options, string path)
    {
        var errors = new List<string>();
        if (options.Window < TimeSpan.FromSeconds(1) || options.Window > TimeSpan.FromDays(7))
        {
            errors.Add($"{path}:Window must be from 1 second to 7 days; it is {options.Window}.");
        }

        if (options.VerifyWithin < TimeSpan.FromMilliseconds(100) || options.VerifyWithin > TimeSpan.FromDays(1))
        {
            errors.Add($"{path}:VerifyWithin must be from 100 milliseconds to 1 day; it is {options.VerifyWithin}.");
        }
        else if (options.VerifyWithin >= options.Window)
        {
            errors.Add($"{path}:VerifyWithin must be shorter than {path}:Window; it is {options.VerifyWithin} for a window of {options.Window}.");
        }

        if (options.MinSends is < 5 or > 100_000)
        {
            errors.Add($"{path}:MinSends must be from 5 to 100000; it is {options.MinSends}.");
        }

        if (!(options.DemotionRatio is >= 0.05 and <= 0.95))
        {
            errors.Add($"{path}:DemotionRatio must be from 0.05 to 0.95; it is {options.DemotionRatio}.");
        }

        if (!(options.ProbeShare is >= 0 and <= 0.5))
        {
            errors.Add($"{path}:ProbeShare must be from 0 to 0.5; it is {options.ProbeShare}.");
        }

        if (options.MaxSendsPerNetwork is < 1 or > 1000)
        {
            errors.Add($"{path}:MaxSendsPerNetwork must be from 1 to 1000; it is {options.MaxSendsPerNetwork}.");
        }

        return errors;
    }
}
