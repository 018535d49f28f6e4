using OtpClients.Amm;

namespace OtpClients.Benchmarks;

/// <summary>
/// <c>--probe</c>: bytes allocated per call (whole process, server included, so only differences count) for the
/// hand-written floor, the SDK client over a plain HttpClient, and the SDK as registered by AddOtpClient. A tool to
/// find where the SDK's extra bytes go; not a benchmark.
/// </summary>
internal static class Probe
{
    public static async Task RunAsync()
    {
        await using var fixture = await Fixture.CreateAsync();
        using var plain = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        var direct = new AmmOtpClient(plain, new AmmOptions { BaseAddress = fixture.Server.BaseAddress, AuthKey = "amm-key", AuthSecret = "amm-secret" });
        var request = new OtpSendRequest(Fixture.AmmPhone);
        foreach (var provider in Enum.GetValues<Provider>())
        {
            await MeasureAsync($"hand-written {provider} send", () => fixture.HandWrittenSend(provider));
            await MeasureAsync($"SDK {provider} send (AddOtpClient)", () => fixture.SdkSend(provider));
            await MeasureAsync($"hand-written {provider} verify", () => fixture.HandWrittenVerify(provider));
            await MeasureAsync($"SDK {provider} verify (AddOtpClient)", () => fixture.SdkVerify(provider));
            await MeasureAsync($"Refit peer {provider} send", () => fixture.PeerSend(provider));
            await MeasureAsync($"Refit peer {provider} verify", () => fixture.PeerVerify(provider));
        }

        await MeasureAsync("SDK Amm send (plain HttpClient, no pipeline)", () => direct.SendAsync(request));
        using var based = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.Server.BaseAddress };
        var direct2 = new AmmOtpClient(based, new AmmOptions { BaseAddress = fixture.Server.BaseAddress, AuthKey = "amm-key", AuthSecret = "amm-secret" });
        await MeasureAsync("SDK Amm send (HttpClient with the base address, no pipeline)", () => direct2.SendAsync(request));
    }

    private static async Task MeasureAsync(string name, Func<Task> call)
    {
        for (var i = 0; i < 2000; i++)
        {
            await call();
        }

        const int Calls = 20000;
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < Calls; i++)
        {
            await call();
        }

        var after = GC.GetTotalAllocatedBytes(precise: true);
        Console.WriteLine($"{name,-40} {(after - before) / Calls,6} B/call");
    }
}
