using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OtpClients.Amm;
using OtpClients.Emulator;

namespace OtpClients.Tests.Emulator;

/// <summary>
/// The JSON and server-sent-events API behind the emulator's inbox page (docs/emulator.md), over real HTTP, with codes
/// sent and checked by the SDK.
/// </summary>
public sealed class EmulatorInboxApiTests
{
    private const string Phone = "+393481234567";

    private OtpEmulator emulator = null!;
    private FakeTimeProvider clock = null!;
    private HttpClient http = null!;
    private ServiceProvider provider = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        emulator = await OtpEmulator.StartAsync(new OtpEmulatorOptions { TimeProvider = clock });
        http = new HttpClient { BaseAddress = emulator.BaseAddress };
        var services = new ServiceCollection();
        services.AddOtpClient("AMM", otp => otp.UseAmm(o =>
        {
            emulator.ConfigureAmm(o);
            o.MaxRetryAttempts = 0;
            o.CircuitBreaker.Enabled = false;
        }));
        services.AddOtpClient("iP1", otp => otp.UseIp1(emulator.ConfigureIp1));
        services.AddOtpClient("99digital", otp => otp.UseNinetyNineDigital(emulator.ConfigureNinetyNineDigital));
        provider = services.BuildServiceProvider();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        http.Dispose();
        await provider.DisposeAsync();
        await emulator.DisposeAsync();
    }

    [SetUp]
    public void Reset() => emulator.Reset();

    private IOtpClient Client(string name) => provider.GetRequiredKeyedService<IOtpClient>(name);

    private async Task<JsonObject> OnlyMessageAsync(string query = "")
    {
        var list = await http.GetFromJsonAsync<JsonArray>("_emulator/messages" + query);
        Assert.That(list, Has.Count.EqualTo(1));
        return list![0]!.AsObject();
    }

    [Test]
    public async Task Root_ServesTheInboxPageWithItsAssetsAndAStrictPolicy()
    {
        using var page = await http.GetAsync("/");
        var html = await page.Content.ReadAsStringAsync();
        using var script = await http.GetAsync("_emulator/inbox/inbox.js");
        using var style = await http.GetAsync("_emulator/inbox/inbox.css");
        using var missing = await http.GetAsync("_emulator/inbox/nope.js");
        using var post = await http.PostAsync("/", null);

        Assert.Multiple(() =>
        {
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(page.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
            Assert.That(html, Does.Contain("<title>OtpClients emulator – phone inbox</title>"));
            Assert.That(html, Does.Not.Contain("http://").And.Not.Contain("https://"), "nothing is loaded from the network");
            Assert.That(page.Headers.GetValues("Content-Security-Policy").Single(), Does.StartWith("default-src 'none'; script-src 'self'"));
            Assert.That(script.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/javascript"));
            Assert.That(style.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/css"));
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        });
    }

    [Test]
    public async Task Root_SameETag_Is304()
    {
        using var first = await http.GetAsync("/");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.TryAddWithoutValidation("If-None-Match", first.Headers.ETag!.Tag);

        using var again = await http.SendAsync(request);

        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
    }

    [Test]
    public async Task Messages_AmmCodeLifecycle_PendingThenAttemptsThenVerified()
    {
        var sent = await Client("AMM").SendAsync(new OtpSendRequest(Phone));
        var pending = await OnlyMessageAsync();
        await Client("AMM").VerifyAsync(new OtpVerifyRequest(sent.Challenge!, "0000" == pending["code"]!.GetValue<string>() ? "1111" : "0000"));
        var afterWrong = await OnlyMessageAsync();
        await Client("AMM").VerifyAsync(new OtpVerifyRequest(sent.Challenge!, pending["code"]!.GetValue<string>()));
        var verified = await OnlyMessageAsync();

        Assert.Multiple(() =>
        {
            Assert.That(pending["status"]!["state"]!.GetValue<string>(), Is.EqualTo("pending"));
            Assert.That(pending["status"]!["attemptsUsed"]!.GetValue<int>(), Is.Zero);
            Assert.That(pending["status"]!["maxAttempts"]!.GetValue<int>(), Is.GreaterThan(0));
            Assert.That(DateTimeOffset.Parse(pending["status"]!["expiresAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(clock.GetUtcNow()));
            Assert.That(afterWrong["status"]!["attemptsUsed"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(verified["status"]!["state"]!.GetValue<string>(), Is.EqualTo("verified"));
        });
    }

    [Test]
    public async Task Messages_AmmCancelled_IsCancelled()
    {
        var sent = await Client("AMM").SendAsync(new OtpSendRequest(Phone));
        var amm = provider.GetRequiredKeyedService<AmmOtpClient>("AMM");

        await amm.CancelAsync(sent.Challenge!);

        Assert.That((await OnlyMessageAsync())["status"]!["state"]!.GetValue<string>(), Is.EqualTo("cancelled"));
    }

    [TestCase("iP1", "+46701234567")]
    [TestCase("99digital", "+972501234567")]
    [TestCase("AMM", Phone)]
    public async Task Messages_ClockPastExpiry_IsExpired(string name, string phone)
    {
        await Client(name).SendAsync(new OtpSendRequest(phone));
        clock.Advance(TimeSpan.FromDays(2));

        var message = await OnlyMessageAsync();

        Assert.Multiple(() =>
        {
            Assert.That(message["provider"]!.GetValue<string>(), Is.EqualTo(name));
            Assert.That(message["status"]!["state"]!.GetValue<string>(), Is.EqualTo("expired"));
        });
    }

    [TestCase("iP1", "+46701234567")]
    [TestCase("99digital", "+972501234567")]
    public async Task Messages_WrongThenRightCode_CountsTheWrongAttemptThenVerified(string name, string phone)
    {
        var sent = await Client(name).SendAsync(new OtpSendRequest(phone));
        var code = emulator.Outbox.LastCodeFor(phone)!;
        var wrong = code[0] == '9' ? "1" + code[1..] : "9" + code[1..];

        await Client(name).VerifyAsync(new OtpVerifyRequest(sent.Challenge!, wrong));
        var afterWrong = await OnlyMessageAsync();
        await Client(name).VerifyAsync(new OtpVerifyRequest(sent.Challenge!, code));
        var afterRight = await OnlyMessageAsync();

        Assert.Multiple(() =>
        {
            Assert.That(afterWrong["status"]!["state"]!.GetValue<string>(), Is.EqualTo("pending"));
            Assert.That(afterWrong["status"]!["attemptsUsed"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(afterWrong["status"]!["maxAttempts"], Is.Null, "the provider documents no attempt limit");
            Assert.That(afterRight["status"]!["state"]!.GetValue<string>(), Is.EqualTo("verified"));
        });
    }

    [Test]
    public async Task Messages_ProviderFilter_ReturnsThatProvidersOnly()
    {
        await Client("AMM").SendAsync(new OtpSendRequest(Phone));
        await Client("iP1").SendAsync(new OtpSendRequest("+46701234567"));

        var ip1 = await OnlyMessageAsync("?provider=ip1");

        Assert.That(ip1["phoneNumber"]!.GetValue<string>(), Is.EqualTo("+46701234567"));
    }

    [Test]
    public async Task Faults_ListedThenClearedForOneProviderOnly()
    {
        using var amm = await http.PostAsJsonAsync("_emulator/faults", new { provider = "AMM", status = 503, count = (int?)null, probability = 0.5 });
        using var ip1 = await http.PostAsJsonAsync("_emulator/faults", new { provider = "iP1", delayMs = 300, count = (int?)null });
        var listed = await http.GetFromJsonAsync<JsonArray>("_emulator/faults");

        using var cleared = await http.DeleteAsync("_emulator/faults?provider=amm");
        var left = await http.GetFromJsonAsync<JsonArray>("_emulator/faults");

        Assert.Multiple(() =>
        {
            Assert.That(amm.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(listed, Has.Count.EqualTo(2));
            Assert.That(listed![0]!["status"]!.GetValue<int>(), Is.EqualTo(503));
            Assert.That(listed[0]!["probability"]!.GetValue<double>(), Is.EqualTo(0.5));
            Assert.That(listed[0]!["count"], Is.Null, "until cleared");
            Assert.That(listed[1]!["delayMs"]!.GetValue<long>(), Is.EqualTo(300));
            Assert.That(cleared.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(left!.Select(f => f!["provider"]!.GetValue<string>()), Is.EqualTo(new[] { "iP1" }));
        });
    }

    [Test]
    public async Task Info_NamesTheInboxAndEverySetting()
    {
        var info = await http.GetFromJsonAsync<JsonObject>("_emulator");

        Assert.Multiple(() =>
        {
            Assert.That(info!["inbox"]!.GetValue<string>(), Is.EqualTo(emulator.BaseAddress.ToString()));
            Assert.That(info["ninetyNineDigital"]!["sender"]!.GetValue<string>(), Is.EqualTo(OtpEmulator.NinetyNineDigitalSender));
            Assert.That(emulator.IsLoopbackOnly, Is.True);
            Assert.That(emulator.Addresses, Is.EqualTo(new[] { emulator.BaseAddress }));
        });
    }

    [Test]
    public async Task Events_SendThroughTheSdk_ChangeEventWithinASecond()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "_emulator/events");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(stream);
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/event-stream"));
        Assert.That(await reader.ReadLineAsync(), Is.EqualTo("retry: 1000"));

        var sent = Client("AMM").SendAsync(new OtpSendRequest(Phone));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        string? line;
        do
        {
            line = await reader.ReadLineAsync(timeout.Token);
        }
        while (line is not null && !line.StartsWith("event:", StringComparison.Ordinal));
        var data = await reader.ReadLineAsync(timeout.Token);

        Assert.Multiple(async () =>
        {
            Assert.That(line, Is.EqualTo("event: change"));
            Assert.That(data, Is.EqualTo("data: {\"kind\":\"provider\"}"));
            Assert.That((await sent).IsSuccess, Is.True);
        });
    }

    [Test]
    public async Task DisposeAsync_WithAnOpenEventStream_StopsPromptly()
    {
        var other = await OtpEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = other.BaseAddress };
        using var response = await client.GetAsync("_emulator/events", HttpCompletionOption.ResponseHeadersRead);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        await other.DisposeAsync();

        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3)), "the stream ends when the emulator stops");
    }
}
