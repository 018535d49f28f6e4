using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Refit;

namespace OtpClients.Benchmarks;

/// <summary>
/// The "layer by layer" section of docs/benchmarks.md: bytes per call of each stack a call goes through, from the floor up
/// (measured as the difference of <see cref="GC.GetTotalAllocatedBytes(bool)"/> over 20,000 calls, server included, so
/// only differences count), and the SDK's own bytes by the layer that allocated them (sampled allocation ticks, bucketed
/// by the namespace of the allocating frame). A measurement of bytes, not of time.
/// </summary>
internal static class Layers
{
    private const int Calls = 20_000;

    public static async Task<string> MeasureAsync()
    {
        await using var fixture = await Fixture.CreateAsync();
        var bare = new ServiceCollection();
        bare.AddRefitGeneratedClient<IAmmPeer>(BaselineJson.Default).ConfigureHttpClient(c => c.BaseAddress = fixture.Server.BaseAddress);
        await using var bareServices = bare.BuildServiceProvider();
        var refitOnly = bareServices.GetRequiredService<IAmmPeer>();
        const string Auth = "YW1tLWtleTphbW0tc2VjcmV0";

        async Task RefitSend()
        {
            using var response = await refitOnly.SendAsync(new Dictionary<string, string> { ["to"] = "393481234567", ["text"] = "Your verification code is ${verify_code}" }, Auth);
        }

        async Task RefitVerify()
        {
            using var response = await refitOnly.CheckAsync(Fixture.AmmChallenge.Id, "4506", Auth);
        }

        var rows = new List<(string Layer, long Send, long Verify, string What)>();
        var floor = (await BytesAsync(() => fixture.HandWrittenSend(Provider.Amm)), await BytesAsync(() => fixture.HandWrittenVerify(Provider.Amm)));
        var refit = (await BytesAsync(RefitSend), await BytesAsync(RefitVerify));
        var peer = (await BytesAsync(() => fixture.PeerSend(Provider.Amm)), await BytesAsync(() => fixture.PeerVerify(Provider.Amm)));
        var sdk = (await BytesAsync(() => fixture.SdkSend(Provider.Amm)), await BytesAsync(() => fixture.SdkVerify(Provider.Amm)));
        var text = new StringBuilder();
        text.AppendLine("| stack (AMM) | send | verify | the layer added |");
        text.AppendLine("|---|---:|---:|---|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| hand-written `HttpClient` call (the floor) | {B(floor.Item1)} | {B(floor.Item2)} | HttpClient, sockets, the answer's JSON, and the loopback server's own bytes |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| + Refit generated client through IHttpClientFactory | {B(refit.Item1)} ({S(refit.Item1 - floor.Item1)}) | {B(refit.Item2)} ({S(refit.Item2 - floor.Item2)}) | Refit's request building and async layers, the factory's logging handlers |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| + `AddStandardResilienceHandler` (the Refit peer) | {B(peer.Item1)} ({S(peer.Item1 - refit.Item1)}) | {B(peer.Item2)} ({S(peer.Item2 - refit.Item2)}) | rate limiter, total and attempt timeouts, retry, circuit breaker, Polly's telemetry |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| the SDK (`AddOtpClient`) | {B(sdk.Item1)} ({S(sdk.Item1 - peer.Item1)} vs the peer) | {B(sdk.Item2)} ({S(sdk.Item2 - peer.Item2)} vs the peer) | everything below, in place of the peer's stack |");

        text.AppendLine().AppendLine("Where the SDK's bytes of an AMM send go, by the layer that allocated them (sampled; the percentages of all bytes the");
        text.AppendLine("process allocated per call, the loopback server's included):").AppendLine();
        var sdkShares = await SampleAsync(() => fixture.SdkSend(Provider.Amm));
        var peerShares = await SampleAsync(() => fixture.PeerSend(Provider.Amm));
        text.AppendLine("| layer | SDK send | Refit peer send |");
        text.AppendLine("|---|---:|---:|");
        foreach (var layer in LayerNames)
        {
            var a = sdkShares.GetValueOrDefault(layer);
            var b = peerShares.GetValueOrDefault(layer);
            text.AppendLine(CultureInfo.InvariantCulture, $"| {layer} | ≈ {B((long)(a * sdk.Item1))} ({a:P0}) | ≈ {B((long)(b * peer.Item1))} ({b:P0}) |");
        }

        return text.ToString();
    }

    private static readonly string[] LayerNames =
    [
        "resilience handler and Polly",
        "Refit",
        "the client's own code (the SDK's OtpClients.*; the peer's DTOs)",
        "HttpClient, handlers and sockets",
        "loopback server (not the client's)",
        "strings, arrays and tasks (unattributed)",
    ];

    private static string LayerOf(string type) =>
        type.Contains("Polly.", StringComparison.Ordinal) || type.Contains("Resilience", StringComparison.Ordinal) ? LayerNames[0]
        : type.Contains("Refit.", StringComparison.Ordinal) ? LayerNames[1]
        : type.Contains("OtpClients.", StringComparison.Ordinal) || type.StartsWith("WriteTracking", StringComparison.Ordinal) ? LayerNames[2]
        : type.Contains("Microsoft.AspNetCore", StringComparison.Ordinal) || type.Contains("Kestrel", StringComparison.Ordinal) ? LayerNames[4]
        : type.Contains("System.Net.", StringComparison.Ordinal) || type.Contains("Microsoft.Extensions.Http", StringComparison.Ordinal) || type is "HeaderStoreItemInfo" or "UriInfo" or "System.Uri" ? LayerNames[3]
        : LayerNames[5];

    private static async Task<long> BytesAsync(Func<Task> call)
    {
        for (var i = 0; i < 2000; i++)
        {
            await call();
        }

        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < Calls; i++)
        {
            await call();
        }

        return (GC.GetTotalAllocatedBytes(precise: true) - before) / Calls;
    }

    private static async Task<Dictionary<string, double>> SampleAsync(Func<Task> call)
    {
        using var ticks = new Ticks();
        ticks.Recording = true;
        for (var i = 0; i < 50_000; i++)
        {
            await call();
        }

        ticks.Recording = false;
        var total = (double)ticks.Samples.Values.Sum();
        return ticks.Samples.GroupBy(p => LayerOf(p.Key)).ToDictionary(g => g.Key, g => g.Sum(p => p.Value) / total);
    }

    private static string B(long bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture) + " B";

    private static string S(long bytes) => (bytes >= 0 ? "+" : "−") + Math.Abs(bytes).ToString("N0", CultureInfo.InvariantCulture) + " B";

    /// <summary>Counts the runtime's allocation ticks (one per ~100 KB allocated) by the type that crossed the threshold, while <see cref="Recording"/>.</summary>
    internal sealed class Ticks : EventListener
    {
        public ConcurrentDictionary<string, int> Samples { get; } = new();

        public volatile bool Recording;

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (Recording && eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) == true && eventData.Payload is { } payload)
            {
                var index = eventData.PayloadNames!.IndexOf("TypeName");
                Samples.AddOrUpdate(index >= 0 ? payload[index]?.ToString() ?? "?" : "?", 1, static (_, n) => n + 1);
            }
        }
    }
}
