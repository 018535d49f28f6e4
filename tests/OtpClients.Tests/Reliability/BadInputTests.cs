using OtpClients.Amm;
using OtpClients.Failover;
using OtpClients.Ip1;
using OtpClients.NinetyNineDigital;
using OtpClients.Tests.Infrastructure;
using WireMock.Server;

namespace OtpClients.Tests.Reliability;

/// <summary>
/// Hostile input against every public entry point: an ArgumentException or a result naming the field, and nothing
/// sent. The server counts every request that reaches it.
/// </summary>
[Category("Reliability")]
public sealed class BadInputTests
{
    private static readonly string TenKilobytes = new('9', 10_240);

    private WireMockServer server = null!;
    private HttpClient http = null!;

    [OneTimeSetUp]
    public void Start()
    {
        server = ProviderStandIn.Start();
        http = new HttpClient();
    }

    [OneTimeTearDown]
    public void Stop()
    {
        http.Dispose();
        server.Dispose();
    }

    [SetUp]
    public void Reset() => server.Reset();

    public static IEnumerable<TestCaseData> Clients()
    {
        yield return new TestCaseData("AMM", "+393481234567").SetArgDisplayNames("AMM");
        yield return new TestCaseData("iP1", "+46701234567").SetArgDisplayNames("iP1");
        yield return new TestCaseData("99digital", "+972501234567").SetArgDisplayNames("99digital");
        yield return new TestCaseData("failover", "+393481234567").SetArgDisplayNames("failover");
    }

    private IOtpClient Create(string provider)
    {
        AmmOtpClient Amm() => new(http, new AmmOptions { BaseAddress = server.BaseAddress(), AuthKey = "k", AuthSecret = "s" });
        Ip1OtpClient Ip1() => new(http, new Ip1Options { BaseAddress = server.BaseAddress(), AccountId = "a", ApiKey = "k" });
        return provider switch
        {
            "AMM" => Amm(),
            "iP1" => Ip1(),
            "99digital" => new NinetyNineDigitalOtpClient(http, new NinetyNineDigitalOptions { BaseAddress = server.BaseAddress(), ApiKey = "k", Sender = "Contoso" }),
            _ => new FailoverOtpClient([Amm(), Ip1()]),
        };
    }

    private static IEnumerable<(string Name, OtpSendRequest Request)> BadSends(string phone)
    {
        yield return ("null phone", new OtpSendRequest(null!));
        yield return ("empty phone", new OtpSendRequest(string.Empty));
        yield return ("whitespace phone", new OtpSendRequest(" \t\n "));
        yield return ("10 KB phone", new OtpSendRequest(TenKilobytes));
        yield return ("control characters in phone", new OtpSendRequest(phone[..4] + "\u0000\u0007" + phone[4..]));
        yield return ("bidi marks in phone", new OtpSendRequest("\u202E" + phone + "\u202C"));
        yield return ("zero-width space in phone", new OtpSendRequest(phone[..5] + "\u200B" + phone[5..]));
        yield return ("10 KB template", new OtpSendRequest(phone) { MessageTemplate = new string('x', 10_240) + "{code}" });
        yield return ("control characters in template", new OtpSendRequest(phone) { MessageTemplate = "Code\u0000 {code}" });
        yield return ("empty template", new OtpSendRequest(phone) { MessageTemplate = string.Empty });
        yield return ("10 KB sender", new OtpSendRequest(phone) { Sender = new string('S', 10_240) });
        yield return ("control characters in sender", new OtpSendRequest(phone) { Sender = "Con\u0000toso" });
        yield return ("empty sender", new OtpSendRequest(phone) { Sender = string.Empty });
        yield return ("negative code length", new OtpSendRequest(phone) { CodeLength = -5 });
        yield return ("huge code length", new OtpSendRequest(phone) { CodeLength = int.MaxValue });
        yield return ("zero code length", new OtpSendRequest(phone) { CodeLength = 0 });
        yield return ("negative TTL", new OtpSendRequest(phone) { TimeToLive = TimeSpan.FromMinutes(-5) });
        yield return ("zero TTL", new OtpSendRequest(phone) { TimeToLive = TimeSpan.Zero });
        yield return ("huge TTL", new OtpSendRequest(phone) { TimeToLive = TimeSpan.MaxValue });
        yield return ("minimum TTL", new OtpSendRequest(phone) { TimeToLive = TimeSpan.MinValue });
    }

    [TestCaseSource(nameof(Clients))]
    public async Task SendAsync_HostileInput_ResultNamingTheFieldAndNothingSent(string provider, string phone)
    {
        var client = Create(provider);
        foreach (var (name, request) in BadSends(phone))
        {
            var result = await client.SendAsync(request);
            Assert.Multiple(() =>
            {
                Assert.That(result.IsSuccess, Is.False, name);
                Assert.That(result.Error!.Message, Does.Match("PhoneNumber|MessageTemplate|Sender|CodeLength|TimeToLive"), name);
                Assert.That(result.Error.MayHaveBeenAccepted, Is.False, name);
            });
        }

        Assert.That(server.RequestCount(), Is.Zero, "nothing may be sent");
        Assert.ThrowsAsync<ArgumentNullException>(() => client.SendAsync(null!));
    }

    private static IEnumerable<(string Name, OtpVerifyRequest Request, bool InvalidCode)> BadVerifies(string provider, string phone)
    {
        var own = provider == "failover" ? "AMM" : provider;
        var id = provider is "iP1" ? "42" : "abc123";
        var good = new OtpChallenge(own, id, phone);
        yield return ("challenge of another provider", new OtpVerifyRequest(good with { ProviderName = own == "AMM" ? "99digital" : "AMM" }, "1234"), false);
        yield return ("unknown provider name", new OtpVerifyRequest(good with { ProviderName = "Twilio" }, "1234"), false);
        yield return ("empty challenge id", new OtpVerifyRequest(good with { Id = string.Empty }, "1234"), false);
        yield return ("10 KB challenge id", new OtpVerifyRequest(good with { Id = TenKilobytes }, "1234"), false);
        yield return ("control characters in challenge id", new OtpVerifyRequest(good with { Id = "ab\u0000c" }, "1234"), false);
        yield return ("malformed challenge phone", new OtpVerifyRequest(good with { PhoneNumber = "not a number" }, "1234"), false);
        yield return ("null challenge phone", new OtpVerifyRequest(good with { PhoneNumber = null! }, "1234"), false);
        yield return ("bidi marks in challenge phone", new OtpVerifyRequest(good with { PhoneNumber = "\u202E" + phone }, "1234"), false);
        yield return ("empty code", new OtpVerifyRequest(good, string.Empty), true);
        yield return ("whitespace code", new OtpVerifyRequest(good, " \t "), true);
        yield return ("10 KB code", new OtpVerifyRequest(good, TenKilobytes), true);
        yield return ("control characters in code", new OtpVerifyRequest(good, "12\u000034"), true);
        yield return ("bidi marks in code", new OtpVerifyRequest(good, "\u202E1234"), true);
        yield return ("zero-width space in challenge id", new OtpVerifyRequest(good with { Id = "abc\u200B123" }, "1234"), false);
        yield return ("right-to-left override in challenge id", new OtpVerifyRequest(good with { Id = "abc\u202E321" }, "1234"), false);
        yield return ("provider name in another case", new OtpVerifyRequest(good with { ProviderName = own.ToLowerInvariant() == own ? own.ToUpperInvariant() : own.ToLowerInvariant() }, "1234"), false);
        foreach (var ip in new[] { "1.2.3.4; DROP", "fe80::1%<script>", "%' OR '1'='1", "fe80::1%' OR '1'='1", "017.0.0.1", "127.1", "2130706433", "0x7f.0.0.1", " 1.2.3.4", "[::1]" })
        {
            yield return ($"bad client IP {ip}", new OtpVerifyRequest(good, "1234") { ClientIpAddress = ip }, false);
        }
    }

    [TestCaseSource(nameof(Clients))]
    public async Task VerifyAsync_HostileInput_NeverVerifiedAndNothingSent(string provider, string phone)
    {
        var client = Create(provider);
        foreach (var (name, request, invalidCode) in BadVerifies(provider, phone))
        {
            var result = await client.VerifyAsync(request);
            Assert.Multiple(() =>
            {
                Assert.That(result.IsVerified, Is.False, name);
                if (invalidCode)
                {
                    Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.InvalidCode), name);
                }
                else if (provider == "failover" && result.Status == OtpVerificationStatus.NotFound)
                {
                    // The failover client routes verify by the exact provider name: a name it does not hold is NotFound.
                    Assert.That(name, Does.Contain("provider"), name);
                }
                else
                {
                    Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.InvalidRequest), name);
                    Assert.That(result.Error.Message, Does.Contain("Challenge").Or.Contain("ClientIpAddress"), name);
                }
            });
        }

        Assert.Multiple(() =>
        {
            Assert.That(server.RequestCount(), Is.Zero, "nothing may be sent");
            Assert.ThrowsAsync<ArgumentNullException>(() => client.VerifyAsync(null!));
            Assert.ThrowsAsync<ArgumentNullException>(() => client.VerifyAsync(new OtpVerifyRequest(null!, "1")));
        });
    }

    [Test]
    public async Task ProviderExtras_HostileInput_ResultNamingTheFieldAndNothingSent()
    {
        var amm = (AmmOtpClient)Create("AMM");
        var ip1 = (Ip1OtpClient)Create("iP1");
        var results = new List<OtpError?>
        {
            (await amm.CancelAsync(string.Empty)).Error,
            (await amm.CancelAsync(TenKilobytes)).Error,
            (await amm.CancelAsync("a\u0000b")).Error,
            (await amm.SearchAsync(" ")).Error,
            (await amm.SearchAsync(new OtpChallenge("iP1", "1", "+46701234567"))).Error,
            (await ip1.GetAuthenticationAsync(-1)).Error,
            (await ip1.GetAuthenticationAsync(new OtpChallenge("iP1", "x1", "+46701234567"))).Error,
            (await ip1.UpdateSettingsAsync(new Ip1Settings { ConcurrentLimit = -1 })).Error,
            (await ip1.UpdateSettingsAsync(new Ip1Settings { TimeToLive = TimeSpan.MaxValue })).Error,
            (await ip1.UpdateSettingsAsync(new Ip1Settings { MessageTemplate = TenKilobytes })).Error,
            (await ip1.UpdateSettingsAsync(new Ip1Settings { Sender = TenKilobytes })).Error,
        };
        Assert.Multiple(() =>
        {
            Assert.That(results, Has.All.Not.Null);
            Assert.That(results.Select(e => e!.Message), Has.All.Match("verifyId|Challenge|id |Ip1Settings"));
            Assert.That(server.RequestCount(), Is.Zero);
            Assert.ThrowsAsync<ArgumentNullException>(() => amm.CancelAsync((string)null!));
            Assert.ThrowsAsync<ArgumentNullException>(() => ip1.UpdateSettingsAsync(null!));
        });
    }

    [TestCase("http://api.amm.cloud/")]
    [TestCase("ftp://127.0.0.1/")]
    [TestCase("https://user:pass@api.amm.cloud/")]
    public void Constructor_InsecureOrOddBaseAddress_IsRefused(string address) =>
        Assert.That(() => new AmmOtpClient(http, new AmmOptions { BaseAddress = new Uri(address), AuthKey = "k", AuthSecret = "s" }), Throws.ArgumentException.With.Message.Contains("Amm.BaseAddress"));
}
