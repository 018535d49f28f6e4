using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OtpClients.Emulator;

namespace OtpClients.Tests.Reliability;

/// <summary>
/// Soak: send+verify flows across the three providers, many at once, against the emulator with about 5% injected faults
/// (503, delays, dropped connections before and after processing). Every flow must end in a defined result, each verify
/// must match its own send, open connections must stay bounded and memory must return to its baseline.
/// </summary>
[Category("Reliability")]
public sealed class SoakTests
{
    [Test]
    public async Task Flows_UnderInjectedFaults_EndDefinedWithoutCrossTalk()
    {
        var flows = ReliabilitySettings.SoakFlows;
        var parallelism = ReliabilitySettings.SoakParallelism;
        long openConnections = 0, peakConnections = 0;
        using var meter = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument is { Meter.Name: "System.Net.Http", Name: "http.client.open_connections" })
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meter.SetMeasurementEventCallback<long>((_, delta, _, _) =>
        {
            var now = Interlocked.Add(ref openConnections, delta);
            long peak;
            while (now > (peak = Interlocked.Read(ref peakConnections)) && Interlocked.CompareExchange(ref peakConnections, now, peak) != peak)
            {
            }
        });
        meter.Start();

        await using var emulator = await OtpEmulator.StartAsync(new OtpEmulatorOptions { FaultSeed = 2026 });
        var services = new ServiceCollection();
        services.AddOtpClient("AMM", otp => otp.UseAmm(emulator.ConfigureAmm));
        services.AddOtpClient("iP1", otp => otp.UseIp1(emulator.ConfigureIp1));
        services.AddOtpClient("99digital", otp => otp.UseNinetyNineDigital(emulator.ConfigureNinetyNineDigital));
        var provider = services.BuildServiceProvider();
        string[] names = ["AMM", "iP1", "99digital"];
        var clients = names.Select(n => provider.GetRequiredKeyedService<IOtpClient>(n)).ToArray();

        // Warm up, then take the memory baseline.
        for (var i = 0; i < 3; i++)
        {
            var warm = await clients[i].SendAsync(new OtpSendRequest(Phone(i, flows + 1)));
            Assert.That(warm.IsSuccess, Is.True);
        }

        emulator.Reset();
        var baseline = Memory();

        emulator.Faults.Add(new OtpEmulatorFault { StatusCode = 503, Count = null, Probability = 0.015 });
        emulator.Faults.Add(new OtpEmulatorFault { Delay = TimeSpan.FromMilliseconds(150), Count = null, Probability = 0.015 });
        emulator.Faults.Add(new OtpEmulatorFault { Abort = true, Count = null, Probability = 0.01 });
        emulator.Faults.Add(new OtpEmulatorFault { Abort = true, AfterProcessing = true, Count = null, Probability = 0.01 });

        var outcomes = new ConcurrentDictionary<string, int>();
        var crossTalk = 0;
        var watch = Stopwatch.StartNew();
        await Parallel.ForAsync(0, flows, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, cancellationToken) =>
        {
            var client = clients[i % 3];
            var phone = Phone(i % 3, i);
            var sent = await client.SendAsync(new OtpSendRequest(phone), cancellationToken);
            string outcome;
            if (!sent.IsSuccess)
            {
                outcome = "send " + sent.Error.Code;
            }
            else
            {
                var message = emulator.Outbox.LastFor(phone);
                if (message is null || message.Id != sent.Challenge.Id || sent.Challenge.PhoneNumber != PhoneNumber.Parse(phone).E164)
                {
                    Interlocked.Increment(ref crossTalk);
                    outcome = "cross-talk";
                }
                else
                {
                    var verified = await client.VerifyAsync(new OtpVerifyRequest(sent.Challenge, message.Code), cancellationToken);
                    Assert.That(verified.Status == OtpVerificationStatus.Failed, Is.EqualTo(verified.Error is not null));
                    if (verified.Status == OtpVerificationStatus.InvalidCode)
                    {
                        // A flow's own code is never wrong: that would be another flow's state leaking in.
                        Interlocked.Increment(ref crossTalk);
                    }

                    outcome = verified.Error is { } error ? "verify " + error.Code : "verify " + verified.Status;
                }
            }

            outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
        });
        watch.Stop();
        var injected = emulator.Faults.Injected;

        await provider.DisposeAsync();
        emulator.Reset();
        var after = Memory();

        var figures = $"soak: {flows} flows at parallelism {parallelism} in {watch.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s; "
            + $"{injected} faults injected; outcomes: {string.Join(", ", outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key} {o.Value}"))}; "
            + $"cross-talk {crossTalk}; peak open connections {Interlocked.Read(ref peakConnections)}; "
            + $"managed memory baseline {baseline / 1024} KiB, after {after / 1024} KiB";
        TestContext.Out.WriteLine(figures);
        Assert.Multiple(() =>
        {
            Assert.That(outcomes.Values.Sum(), Is.EqualTo(flows), "every flow ended in a defined result");
            Assert.That(crossTalk, Is.Zero, "no verify saw another flow's state");
            Assert.That(outcomes.GetValueOrDefault("verify Verified"), Is.GreaterThan(flows * 8 / 10), "most flows verify despite the faults");
            Assert.That(injected, Is.GreaterThan(flows / 50), "faults were injected");
            Assert.That(Interlocked.Read(ref peakConnections), Is.LessThanOrEqualTo(3L * parallelism + 8), "connections stay bounded by the parallelism");
            Assert.That(after, Is.LessThan(baseline + (32L * 1024 * 1024)), "memory returns to its baseline");
        });
    }

    private static string Phone(int provider, int flow) => provider switch
    {
        0 => "+3934" + flow.ToString("D8", CultureInfo.InvariantCulture),
        1 => "+4670" + flow.ToString("D7", CultureInfo.InvariantCulture),
        _ => "+97250" + flow.ToString("D7", CultureInfo.InvariantCulture),
    };

    private static long Memory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
