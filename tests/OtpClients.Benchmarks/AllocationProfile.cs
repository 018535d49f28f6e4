namespace OtpClients.Benchmarks;

/// <summary>
/// <c>--probe-types</c>: which types a call allocates, sampled by the runtime's allocation ticks (one event per ~100 KB
/// allocated, with the type that crossed the threshold). A diagnostic to find where bytes go; not a benchmark.
/// </summary>
internal static class AllocationProfile
{
    public static async Task RunAsync(string[] args)
    {
        await using var fixture = await Fixture.CreateAsync();
        var which = args.SkipWhile(a => a != "--probe-types").Skip(1).FirstOrDefault() ?? "sdk";
        var provider = Enum.TryParse<Provider>(args.SkipWhile(a => a != "--probe-types").Skip(2).FirstOrDefault(), ignoreCase: true, out var named) ? named : Provider.Amm;
        var verify = args.Contains("verify");
        Func<Task> call = (which, verify) switch
        {
            ("peer", false) => () => fixture.PeerSend(provider),
            ("raw", false) => () => fixture.HandWrittenSend(provider),
            (_, false) => () => fixture.SdkSend(provider),
            ("peer", true) => () => fixture.PeerVerify(provider),
            ("raw", true) => () => fixture.HandWrittenVerify(provider),
            (_, true) => () => fixture.SdkVerify(provider),
        };
        for (var i = 0; i < 2000; i++)
        {
            await call();
        }

        using var ticks = new Layers.Ticks();
        ticks.Recording = true;
        for (var i = 0; i < 50000; i++)
        {
            await call();
        }

        ticks.Recording = false;
        var total = ticks.Samples.Values.Sum();
        Console.WriteLine($"{provider} {(verify ? "verify" : "send")} ({which}): {total} samples");
        foreach (var (type, count) in ticks.Samples.OrderByDescending(p => p.Value).Take(40))
        {
            Console.WriteLine($"{count * 100.0 / total,6:0.0} %  {type}");
        }
    }
}
