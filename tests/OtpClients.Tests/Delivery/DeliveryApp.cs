using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OtpClients.Delivery;
using OtpClients.Emulator;
using OtpClients.Guard;

namespace OtpClients.Tests.Delivery;

/// <summary>
/// An app as a new user would write it: AMM first and iP1 as failover on the emulator, sessions in front, the send
/// guard, delivery health; the emulator's fake clock is the app's clock; the stores in memory or on a real redis-server.
/// </summary>
public sealed class DeliveryApp : IAsyncDisposable
{
    private DeliveryApp(ServiceProvider services)
    {
        Services = services;
        Sessions = services.GetRequiredService<IOtpVerificationSessions>();
        Health = services.GetRequiredService<IOtpDeliveryHealth>();
    }

    public ServiceProvider Services { get; }

    public IOtpVerificationSessions Sessions { get; }

    public IOtpDeliveryHealth Health { get; }

    public static DeliveryApp Create(
        OtpEmulator emulator,
        Action<OtpDeliveryHealthOptions>? health = null,
        string? redis = null,
        string? keyPrefix = null,
        Action<OtpSendGuardOptions>? guard = null,
        ILoggerProvider? logger = null,
        Action<OtpClientBuilder>? more = null,
        params string[] route)
    {
        var collection = new ServiceCollection();
        collection.AddSingleton(emulator.TimeProvider);
        if (logger is not null)
        {
            collection.AddLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddProvider(logger));
        }

        collection.AddOtpClient(otp =>
        {
            otp.UseAmm(o =>
            {
                emulator.ConfigureAmm(o);
                o.MaxRetryAttempts = 0;
                o.CircuitBreaker.Enabled = false;
            });
            otp.UseIp1(o =>
            {
                emulator.ConfigureIp1(o);
                o.MaxRetryAttempts = 0;
                o.CircuitBreaker.Enabled = false;
            });
            otp.UseFailover(route.Length == 0 ? ["AMM", "iP1"] : route);
            otp.UseSendGuard(g =>
            {
                // Scaled like the simulation's clock: a resend after a second must not wait for the 30 s cooldown.
                g.Cooldown = TimeSpan.FromMilliseconds(500);
                g.MaxRegionsPerIp = 0;
                guard?.Invoke(g);
            });
            otp.UseDeliveryHealth(o =>
            {
                o.Window = TimeSpan.FromSeconds(60);
                o.VerifyWithin = TimeSpan.FromSeconds(3);
                o.MinSends = 20;
                health?.Invoke(o);
            });
            if (redis is not null)
            {
                otp.UseRedis(redis, o =>
                {
                    o.HashKey = "delivery-test-hash-key-0123456789abcdef";
                    o.KeyPrefix = keyPrefix ?? o.KeyPrefix;
                });
            }

            more?.Invoke(otp);
        });
        return new DeliveryApp(collection.BuildServiceProvider());
    }

    public async Task<OtpDeliveryHealthReport?> ReportAsync(string provider, string region = "IT") =>
        (await Health.GetReportsAsync()).SingleOrDefault(r => r.ProviderName == provider && r.RegionCode == region);

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
