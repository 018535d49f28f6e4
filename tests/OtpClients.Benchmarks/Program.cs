using System.Globalization;
using System.Text;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using OtpClients.Benchmarks;

// dotnet run -c Release --project tests/OtpClients.Benchmarks -- [--short] [--write-docs] [--smoke]
//   --short       a short run (about 3 minutes): 1 launch, 3 warm-ups, 5 iterations
//   --write-docs  regenerate docs/benchmarks.md from this run
//   --probe-types [sdk|peer|raw]  which types an AMM send allocates (sampled allocation ticks; a diagnostic)
//   --layers      the layer-by-layer bytes table of docs/benchmarks.md, alone (a measurement of bytes, no timing)
//   --probe       bytes per call of the hand-written floor and the SDK with and without AddOtpClient (a diagnostic)
//   --guard-only  only the send-guard benchmarks (printed; with --write-docs the other sections would be empty)
//   --delivery-only  only the delivery-health benchmarks (printed, likewise)
//   --operations-only  only the per-call benchmarks and the layer table (printed, likewise)
//   --messages-only  only SmsSegments.Measure (the goal: at most 1 µs and no allocation for 160 characters; printed)
//   --smoke       no measurement: run every benchmark body once against the server and exit (used by CI)
var shortRun = args.Contains("--short");
var writeDocs = args.Contains("--write-docs");
if (args.Contains("--probe-types"))
{
    await AllocationProfile.RunAsync(args);
    return 0;
}

if (args.Contains("--layers"))
{
    Console.WriteLine(await Layers.MeasureAsync());
    return 0;
}

if (args.Contains("--probe"))
{
    await Probe.RunAsync();
    return 0;
}

if (args.Contains("--smoke"))
{
    await using var fixture = await Fixture.CreateAsync();
    foreach (var provider in Enum.GetValues<Provider>())
    {
        await fixture.SdkSend(provider);
        await fixture.HandWrittenSend(provider);
        await fixture.SdkVerify(provider);
        await fixture.HandWrittenVerify(provider);
        await fixture.PeerSend(provider);
        await fixture.PeerVerify(provider);
    }

    var peer = fixture.Peer;
    if (await peer.AmmSendAsync("393481234567", "x ${verify_code}") is null || !await peer.AmmVerifyAsync(Fixture.AmmChallenge.Id, "4506")
        || await peer.Ip1SendAsync("46701234567") is null || !await peer.Ip1VerifyAsync("46701234567", "AB12C")
        || await peer.NinetyNineSendAsync("Contoso", "0501234567") is null || !await peer.NinetyNineVerifyAsync("0501234567", "123456"))
    {
        Console.WriteLine("benchmark smoke: the Refit peer did not read the canned answers");
        return 1;
    }

    await using (var guard = await GuardChecks.CreateAsync(requireRedis: false))
    {
        if (!(await guard.InMemoryAsync()).IsAllowed)
        {
            Console.WriteLine("benchmark smoke: the in-memory guard check was refused");
            return 1;
        }

        if (guard.RedisStore is null)
        {
            Console.WriteLine("benchmark smoke: redis-server is not installed; the Redis guard benchmarks were skipped");
        }
        else
        {
            await guard.PingAsync();
            using (var lease = await guard.SlidingWindowAsync())
            {
                if (!lease.IsAcquired)
                {
                    Console.WriteLine("benchmark smoke: RedisRateLimiting's sliding window refused a permit");
                    return 1;
                }
            }

            if (!(await guard.RedisIpv6Async()).IsAllowed)
            {
                Console.WriteLine("benchmark smoke: the Redis guard check of an IPv6 client was refused");
                return 1;
            }

            var smokeRoundTrips = await guard.RoundTripsPerCheckAsync(200);
            if (smokeRoundTrips is < 0.99 or > 1.05)
            {
                Console.WriteLine($"benchmark smoke: a Redis guard check took {smokeRoundTrips:0.00} round trips, not 1");
                return 1;
            }

            Console.WriteLine($"benchmark smoke: a Redis guard check is {smokeRoundTrips:0.00} round trips");
        }
    }

    await using (var delivery = await DeliveryHealthApps.CreateAsync(requireRedis: false))
    {
        foreach (var sessions in new[] { delivery.Memory, delivery.MemoryHealth, delivery.Redis, delivery.RedisHealth })
        {
            if (sessions is not null && (!(await delivery.StartAsync(sessions)).IsSuccess || !(await delivery.FlowAsync(sessions)).IsVerified))
            {
                Console.WriteLine("benchmark smoke: a delivery-health session did not start or verify");
                return 1;
            }
        }
    }

    var segments = new SmsSegmentsBenchmarks();
    if (segments.MeasureGsm160().Segments != 1 || segments.MeasureHebrew70().Segments != 1 || segments.MeasureGsm160WithEscapes().Units <= 160)
    {
        Console.WriteLine("benchmark smoke: a message measure is not what its benchmark assumes");
        return 1;
    }

    Console.WriteLine("benchmark smoke: every SDK, hand-written, Refit peer, guard, delivery-health and message-measure operation ran");
    return 0;
}

var job = (shortRun ? Job.ShortRun.WithIterationCount(5) : Job.Default).WithToolchain(InProcessEmitToolchain.Instance).WithId(shortRun ? "short" : "default");
var config = ManualConfig.CreateEmpty()
    .AddJob(job)
    .AddDiagnoser(MemoryDiagnoser.Default)
    .AddColumnProvider(DefaultColumnProviders.Instance)
    .AddLogger(ConsoleLogger.Default)
    .AddExporter(MarkdownExporter.GitHub)
    .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "OtpClients.Benchmarks"))
    .WithOptions(ConfigOptions.DisableLogFile);

if (args.Contains("--messages-only"))
{
    var measured = BenchmarkRunner.Run<SmsSegmentsBenchmarks>(config);
    return measured.Reports.All(r => r.Success) ? 0 : 1;
}

Type[] types = args.Contains("--guard-only") ? [typeof(GuardBenchmarks)]
    : args.Contains("--delivery-only") ? [typeof(DeliveryHealthBenchmarks)]
    : args.Contains("--operations-only") ? [typeof(OperationBenchmarks)]
    : [typeof(OperationBenchmarks), typeof(ThroughputBenchmarks), typeof(ColdStartBenchmarks), typeof(GuardBenchmarks), typeof(DeliveryHealthBenchmarks)];
var summaries = BenchmarkRunner.Run(types, config);
double roundTrips;
await using (var guard = await GuardChecks.CreateAsync(requireRedis: true))
{
    roundTrips = await guard.RoundTripsPerCheckAsync(10_000);
}

var layers = types.Contains(typeof(OperationBenchmarks)) ? await Layers.MeasureAsync() : null;
var markdown = Report.Build(summaries, shortRun, args, roundTrips, layers);
Console.WriteLine(markdown);
if (writeDocs)
{
    var path = Path.Combine(Report.RepositoryRoot(), "docs", "benchmarks.md");
    await File.WriteAllTextAsync(path, markdown);
    Console.WriteLine($"Written {path}");
}

return summaries.All(s => !s.HasCriticalValidationErrors && s.Reports.All(r => r.Success)) ? 0 : 1;

internal static class Report
{
    public static string Build(Summary[] summaries, bool shortRun, string[] args, double redisRoundTripsPerCheck, string? layers)
    {
        var text = new StringBuilder();
        var host = summaries[0].HostEnvironmentInfo;
        text.AppendLine("# Benchmarks").AppendLine();
        text.AppendLine("The SDK, registered with `AddOtpClient` (Refit clients, resilience handler, telemetry and validation included),");
        text.AppendLine("against two peers: a minimal hand-written `HttpClient` call that puts the same bytes on the wire and parses the");
        text.AppendLine("same answer with source-generated JSON (`tests/OtpClients.Benchmarks/HandWritten.cs`, the floor), and the client");
        text.AppendLine("a user would write without the SDK: a plain source-generated Refit client per provider with");
        text.AppendLine("`AddStandardResilienceHandler` (`tests/OtpClients.Benchmarks/RefitPeer.cs`). All talk to the same loopback");
        text.AppendLine("Kestrel server answering canned bodies.").AppendLine();
        text.AppendLine($"Regenerate: `dotnet run -c Release --project tests/OtpClients.Benchmarks -- {(shortRun ? "--short " : string.Empty)}--write-docs`");
        text.AppendLine($"(this run: `{string.Join(' ', args)}`; {(shortRun ? "short job: 1 launch, 3 warm-ups, 5 iterations" : "default job")}; in-process toolchain).").AppendLine();
        text.AppendLine("Machine:").AppendLine();
        text.AppendLine("```");
        text.AppendLine($"BenchmarkDotNet {host.BenchmarkDotNetVersion}, {host.OsVersion.Value}");
        text.AppendLine($"{host.CpuInfo.Value.ProcessorName}, {host.CpuInfo.Value.PhysicalCoreCount ?? Environment.ProcessorCount} cores");
        text.AppendLine($".NET {Environment.Version}, {host.Architecture}, {(host.HasAttachedDebugger ? "debugger attached" : "no debugger")}");
        text.AppendLine("```").AppendLine();
        var operations = summaries.SelectMany(s => s.Reports).Where(r => r.BenchmarkCase.Descriptor.Type == typeof(OperationBenchmarks) && r.ResultStatistics is not null).ToList();
        var rows = operations
            .GroupBy(r => (Operation: r.BenchmarkCase.Descriptor.Categories.FirstOrDefault() ?? "-", Provider: r.BenchmarkCase.Parameters.Items.FirstOrDefault()?.Value?.ToString() ?? "-"))
            .Select(g => (g.Key.Operation, g.Key.Provider, Raw: Measure(g, "HandWritten"), Sdk: Measure(g, "Sdk"), Peer: Measure(g, "Peer")))
            .Where(r => r.Raw is not null && r.Sdk is not null && r.Peer is not null)
            .ToList();

        text.AppendLine("## Per call: SDK vs hand-written `HttpClient` vs Refit peer").AppendLine();
        text.AppendLine("| operation | provider | hand-written | SDK | Refit peer | SDK / peer time | hand-written alloc | SDK alloc | peer alloc | SDK − peer | SDK − hand-written |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in rows.OrderBy(r => r.Provider, StringComparer.Ordinal).ThenByDescending(r => r.Operation, StringComparer.Ordinal))
        {
            var (raw, sdk, peer) = (row.Raw!.Value, row.Sdk!.Value, row.Peer!.Value);
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Operation} | {row.Provider} | {Time(raw.Mean)} | {Time(sdk.Mean)} | {Time(peer.Mean)} | {sdk.Mean / peer.Mean:0.00} | {Bytes(raw.Bytes)} | {Bytes(sdk.Bytes)} | {Bytes(peer.Bytes)} | {Signed(sdk.Bytes - peer.Bytes)} | {Signed(sdk.Bytes - raw.Bytes)} |");
        }

        text.AppendLine().AppendLine("## One flow (send + verify) per provider, against the goals").AppendLine();
        text.AppendLine("Goals: SDK time ≤ 1.05 × the Refit peer's; SDK allocations per flow no more than the peer's.").AppendLine();
        text.AppendLine("| provider | hand-written | SDK | Refit peer | SDK / peer time | hand-written alloc | SDK alloc | peer alloc | SDK − peer | SDK − hand-written | time goal | allocation goal |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var flow in rows.GroupBy(r => r.Provider).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            double Mean(Func<(string Operation, string Provider, (double Mean, long Bytes)? Raw, (double Mean, long Bytes)? Sdk, (double Mean, long Bytes)? Peer), (double Mean, long Bytes)?> pick) => flow.Sum(r => pick(r)!.Value.Mean);
            long Alloc(Func<(string Operation, string Provider, (double Mean, long Bytes)? Raw, (double Mean, long Bytes)? Sdk, (double Mean, long Bytes)? Peer), (double Mean, long Bytes)?> pick) => flow.Sum(r => pick(r)!.Value.Bytes);
            var (rawTime, sdkTime, peerTime) = (Mean(r => r.Raw), Mean(r => r.Sdk), Mean(r => r.Peer));
            var (rawBytes, sdkBytes, peerBytes) = (Alloc(r => r.Raw), Alloc(r => r.Sdk), Alloc(r => r.Peer));
            text.AppendLine(CultureInfo.InvariantCulture, $"| {flow.Key} | {Time(rawTime)} | {Time(sdkTime)} | {Time(peerTime)} | {sdkTime / peerTime:0.00} | {Bytes(rawBytes)} | {Bytes(sdkBytes)} | {Bytes(peerBytes)} | {Signed(sdkBytes - peerBytes)} | {Signed(sdkBytes - rawBytes)} | {(sdkTime <= 1.05 * peerTime ? "met" : "not met")} | {(sdkBytes <= peerBytes ? "met" : "not met")} |");
        }

        if (layers is not null)
        {
            text.AppendLine().AppendLine("## Layer by layer: what each layer costs per call").AppendLine();
            text.AppendLine("Bytes per call of each stack, from the floor up (`--layers` prints this section alone):").AppendLine();
            text.Append(layers);
        }

        text.AppendLine().AppendLine("## Concurrency and cold start: SDK vs hand-written").AppendLine();
        text.AppendLine("| benchmark | provider | hand-written mean | SDK mean | time ratio | hand-written allocated | SDK allocated | SDK extra |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var summary in summaries.Where(s => s.BenchmarksCases.Length > 0 && s.BenchmarksCases[0].Descriptor.Type != typeof(OperationBenchmarks) && s.BenchmarksCases[0].Descriptor.Type != typeof(GuardBenchmarks) && s.BenchmarksCases[0].Descriptor.Type != typeof(DeliveryHealthBenchmarks)))
        {
            var groups = summary.Reports.GroupBy(r => (Category: r.BenchmarkCase.Descriptor.Categories.FirstOrDefault() ?? "-", Provider: r.BenchmarkCase.Parameters.Items.FirstOrDefault()?.Value?.ToString() ?? "Amm"));
            foreach (var group in groups)
            {
                var baseline = group.FirstOrDefault(r => r.BenchmarkCase.Descriptor.Baseline);
                var sdk = group.FirstOrDefault(r => !r.BenchmarkCase.Descriptor.Baseline);
                if (baseline?.ResultStatistics is null || sdk?.ResultStatistics is null)
                {
                    continue;
                }

                var baseTime = baseline.ResultStatistics.Mean;
                var sdkTime = sdk.ResultStatistics.Mean;
                var baseBytes = baseline.GcStats.GetBytesAllocatedPerOperation(baseline.BenchmarkCase) ?? 0;
                var sdkBytes = sdk.GcStats.GetBytesAllocatedPerOperation(sdk.BenchmarkCase) ?? 0;
                text.AppendLine(CultureInfo.InvariantCulture, $"| {group.Key.Category} | {group.Key.Provider} | {Time(baseTime)} | {Time(sdkTime)} | {sdkTime / baseTime:0.00} | {Bytes(baseBytes)} | {Bytes(sdkBytes)} | {Signed(sdkBytes - baseBytes)} |");
            }
        }

        AppendGuard(text, summaries, redisRoundTripsPerCheck);
        AppendDeliveryHealth(text, summaries);
        text.AppendLine().Append(Explanation);
        return text.ToString();
    }

    private static void AppendGuard(StringBuilder text, Summary[] summaries, double roundTrips)
    {
        var reports = summaries.SelectMany(s => s.Reports).Where(r => r.BenchmarkCase.Descriptor.Type == typeof(GuardBenchmarks) && r.ResultStatistics is not null).ToList();
        if (reports.Count == 0)
        {
            return;
        }

        text.AppendLine().AppendLine("## Send guard: the cost of one check").AppendLine();
        text.AppendLine("One check as the guard makes it before a send with the default rules (cooldown, per-number budget, per-IP budget,");
        text.AppendLine("regions per IP: four counters; an IPv6 client adds the /56 and /48 budgets: six), every check allowed and counted");
        text.AppendLine("(`tests/OtpClients.Benchmarks/GuardBenchmarks.cs`). The rules added against pumping (number types, unreadable");
        text.AppendLine("numbers, embedded IPv4 addresses) are decided in process before the store is called and add no command.");
        text.AppendLine("On Redis (a local `redis-server`, one connection) next to a bare `PING` on the same connection: one check is one");
        text.AppendLine(CultureInfo.InvariantCulture, $"round trip — **{roundTrips:0.00} commands sent per check**, counted from Redis's `INFO commandstats` over 10,000 checks.");
        text.AppendLine("The reference is RedisRateLimiting's sliding window (`RedisSlidingWindowRateLimiter`, its own Lua script, on the same");
        text.AppendLine("server and connection): one rule per script, so the guard's four rules would be four of its round trips.").AppendLine();
        text.AppendLine("| benchmark | mean | checks/s | allocated | vs PING (time) |");
        text.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var group in reports.GroupBy(r => r.BenchmarkCase.Descriptor.Categories.FirstOrDefault() ?? "-"))
        {
            var ping = group.FirstOrDefault(r => r.BenchmarkCase.Descriptor.Baseline)?.ResultStatistics?.Mean;
            foreach (var report in group)
            {
                var mean = report.ResultStatistics!.Mean;
                var bytes = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0;
                var ratio = ping is { } p ? (mean / p).ToString("0.00", CultureInfo.InvariantCulture) : "—";
                text.AppendLine(CultureInfo.InvariantCulture, $"| {group.Key}: {report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo} | {Time(mean)} | {1e9 / mean:N0} | {Bytes(bytes)} | {ratio} |");
            }
        }

        AppendGuardComparison(text, reports);
    }

    /// <summary>The guard's check next to RedisRateLimiting's sliding window, from the rows of the same run.</summary>
    private static void AppendGuardComparison(StringBuilder text, List<BenchmarkReport> reports)
    {
        double? Mean(string description) => reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Contains(description, StringComparison.Ordinal) && r.BenchmarkCase.Descriptor.Categories.Contains("guard check on Redis"))?.ResultStatistics?.Mean;
        if (Mean("'Redis check'") is { } guard && Mean("one rule") is { } one && Mean("four rules") is { } four)
        {
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"The guard's check (four rules, one script, one round trip) takes **{guard / one:0.00} ×** the time of RedisRateLimiting's sliding window for one rule, and **{guard / four:0.00} ×** the time of four such windows (the same four rules, four round trips).");
        }
    }

    private static void AppendDeliveryHealth(StringBuilder text, Summary[] summaries)
    {
        var reports = summaries.SelectMany(s => s.Reports).Where(r => r.BenchmarkCase.Descriptor.Type == typeof(DeliveryHealthBenchmarks) && r.ResultStatistics is not null).ToList();
        if (reports.Count == 0)
        {
            return;
        }

        text.AppendLine().AppendLine("## Delivery health: what it adds to a send and a check").AppendLine();
        text.AppendLine("A verification session's `StartAsync` (one send) and `StartAsync` + `CheckAsync` (a send and a verified check),");
        text.AppendLine("over a route of two plug-in providers that answer at once without HTTP, so that the figure is the SDK's own work");
        text.AppendLine("(`tests/OtpClients.Benchmarks/DeliveryHealthBenchmarks.cs`): without and with `otp.UseDeliveryHealth()`, the");
        text.AppendLine("sessions and figures in memory and on a local `redis-server`. On Redis, recording a send or a verification is");
        text.AppendLine("fire-and-forget (no round trip waited for), and the route's figures are read at most once a second per route and");
        text.AppendLine("region (one script), so a send waits for no extra round trip in the steady state. A check's cost is the flow's less the send's.").AppendLine();
        text.AppendLine("| benchmark | without | with | added time | allocated without | allocated with | added bytes |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var group in reports.GroupBy(r => r.BenchmarkCase.Descriptor.Categories.FirstOrDefault() ?? "-"))
        {
            var without = group.FirstOrDefault(r => r.BenchmarkCase.Descriptor.Baseline);
            var with = group.FirstOrDefault(r => !r.BenchmarkCase.Descriptor.Baseline);
            if (without?.ResultStatistics is null || with?.ResultStatistics is null)
            {
                continue;
            }

            var (a, b) = (without.ResultStatistics.Mean, with.ResultStatistics.Mean);
            var (x, y) = (without.GcStats.GetBytesAllocatedPerOperation(without.BenchmarkCase) ?? 0, with.GcStats.GetBytesAllocatedPerOperation(with.BenchmarkCase) ?? 0);
            text.AppendLine(CultureInfo.InvariantCulture, $"| {group.Key} | {Time(a)} | {Time(b)} | {(b - a >= 0 ? "+" : "−")}{Time(Math.Abs(b - a))} | {Bytes(x)} | {Bytes(y)} | {Signed(y - x)} |");
        }
    }

    private const string Explanation = """
        ## Reading the results

        - **Time.** Server, client and BenchmarkDotNet share the cores of this machine, so a loopback exchange's noise is
          of the order of the differences between the SDK and the Refit peer; the figures above are from the default
          (long) job, all in one run, so the ratios compare like with like. Against the floor the SDK does measurably
          more: it validates the phone number, template, sender and ranges before sending, runs the resilience pipeline,
          reads answers strictly and records telemetry.
        - **Bytes, layer by layer** (the section above; `--probe-types sdk|peer [provider] [verify]` samples the types,
          `--probe` gives bytes per call of every stack): the resilience handler and the Refit layers cost the SDK what
          they cost the peer, or less (the SDK's pipeline has no rate limiter, and its client has no factory logging
          handlers); what the SDK adds is its own work — the parsed number, the checks, the challenge and result, the
          answer reader, telemetry — and it pays for it by doing the shared parts more cheaply:
          - **its own request bodies** (`Http/RequestBodies.cs`, `NinetyNineDigitalForm`): 99digital's multipart form is
            written straight from its fields (one content, one header collection, no per-field part, header or byte
            array; −4.1 KB per call), AMM's form and iP1's JSON are encoded once into their bytes; each reports its
            writing to the wire handler itself (`TrackedContent`), so no wrapper with its own content headers is made;
          - **the answer's body read in a frame of its own** that completes without suspending when the body came with
            the headers, so the frame suspended on the network stays small, and the capped read returns a `ValueTask`;
          - **parsed numbers reused** for the same text (the guard, the route and the provider parse it in turn; a check
            parses the E.164 form its send produced): a small lock-free table of the last numbers, by text and region.
        - **What is left, toward the floor.** The largest remaining layers are Polly's (an async frame per strategy,
          its telemetry and the execution tracking that lets the pipeline reload with its options) and HttpClient's own;
          a pipeline without the strategies a provider's options leave off, and Polly's telemetry only when a listener
          is enabled, are the next steps the table makes visible.
        - **An app's own `HttpClient`** (the clients' public constructors) costs about what `AddOtpClient` costs: the
          Refit client reaches it through a forwarding handler that copies the request.
        - **Cold start.** Building the container, validating options, building the pipeline and IHttpClientFactory's
          handler chain, and Refit's generated client cost ~250 KB and about 1 ms once per application, not per call.

        """;

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OtpClients.sln")))
            {
                return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    private static string Time(double nanoseconds) => nanoseconds >= 1_000_000
        ? (nanoseconds / 1_000_000).ToString("0.00", CultureInfo.InvariantCulture) + " ms"
        : (nanoseconds / 1_000).ToString("0.0", CultureInfo.InvariantCulture) + " µs";

    private static (double Mean, long Bytes)? Measure(IEnumerable<BenchmarkReport> reports, string methodPrefix) =>
        reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name.StartsWith(methodPrefix, StringComparison.Ordinal)) is { ResultStatistics: { } statistics } report
            ? (statistics.Mean, report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0)
            : null;

    private static string Signed(long bytes) => (bytes > 0 ? "+" : string.Empty) + Bytes(bytes);

    private static string Bytes(long bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture) + " B";
}
