using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OtpClients.Emulator;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Diagnostics;

/// <summary>
/// The retry library's per-call lines ("Execution attempt", "Resilience pipeline executed") at Debug, not Information:
/// every call printed them in a new app's console. Retries stay at Warning.
/// </summary>
public sealed class PollyLogLevelTests : EmulatorFixture
{
    [Test]
    public async Task SendAsync_Succeeds_PollyWritesNothingAtInformation()
    {
        var (client, logs, provider) = Build();
        await using var _ = provider;

        var sent = await client.SendAsync(new OtpSendRequest("+393481234567"));

        var polly = logs.GetSnapshot().Where(l => l.Category?.StartsWith("Polly", StringComparison.Ordinal) == true).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(sent.IsSuccess, Is.True, sent.ToString());
            Assert.That(polly.Where(l => l.Level >= LogLevel.Information).Select(l => l.Message), Is.Empty);
            Assert.That(polly.Where(l => l.Level == LogLevel.Debug).Select(l => l.Message), Has.Some.Contains("Execution attempt"), "still there at Debug");
        });
    }

    [Test]
    public async Task SendAsync_RetriedAfter503_TheRetryIsStillAWarning()
    {
        var (client, logs, provider) = Build();
        await using var _ = provider;
        Emulator.Faults.Add(new OtpEmulatorFault { Provider = "AMM", StatusCode = 503, Count = 1 });

        var sent = await client.SendAsync(new OtpSendRequest("+393481234567"));

        Assert.Multiple(() =>
        {
            Assert.That(sent.IsSuccess, Is.True, sent.ToString());
            Assert.That(logs.GetSnapshot().Where(l => l.Category?.StartsWith("Polly", StringComparison.Ordinal) == true && l.Level >= LogLevel.Warning).Select(l => l.Message), Has.Some.Contains("retry").IgnoreCase);
        });
    }

    private (IOtpClient Client, FakeLogCollector Logs, ServiceProvider Provider) Build()
    {
        var logs = new FakeLogCollector();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
        services.AddOtpClient(otp => otp.UseAmm(o =>
        {
            Emulator.ConfigureAmm(o);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
        }));
        var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<IOtpClient>(), logs, provider);
    }
}
