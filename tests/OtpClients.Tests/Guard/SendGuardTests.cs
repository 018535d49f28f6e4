using OtpClients.Guard;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Guard;

/// <summary>Each rule of the send guard, once with the in-memory store and once on a real redis-server. A refusal makes no HTTP call: the stand-in's count proves it.</summary>
[TestFixture(StoreKind.Memory)]
[TestFixture(StoreKind.Redis)]
public sealed partial class SendGuardTests(StoreKind store) : GuardFixture(store)
{
    private static void AssertRefused(OtpSendResult result, OtpErrorCode code, string rule)
    {
        Assert.That(result.IsSuccess, Is.False, result.ToString());
        Assert.That(result.Error!.Code, Is.EqualTo(code), result.Error.ToString());
        Assert.That(result.Error.ProviderCode, Is.EqualTo(rule));
        Assert.That(result.Error.MayHaveBeenAccepted, Is.False);
    }

    [Test]
    public async Task SendAsync_WithinCooldown_ReturnsRateLimitedWithRetryAfterAndMakesNoHttpCall()
    {
        var client = App(g => { NoRules(g); g.Cooldown = TimeSpan.FromSeconds(30); }).Client;

        var first = await client.SendAsync(new OtpSendRequest(Israeli));
        Clock.Advance(TimeSpan.FromSeconds(10));
        var second = await client.SendAsync(new OtpSendRequest("+972541234567")); // the same number, written another way

        Assert.Multiple(() =>
        {
            Assert.That(first.IsSuccess, Is.True, first.ToString());
            AssertRefused(second, OtpErrorCode.RateLimited, OtpGuardRules.Cooldown);
            Assert.That(second.Error!.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(20)));
            Assert.That(second.Error.IsTransient, Is.True);
            Assert.That(second.Error.Message, Does.Contain("SendGuard:Cooldown").And.Not.Contains("4567"));
            Assert.That(Sends(), Is.EqualTo(1));
        });

        Clock.Advance(TimeSpan.FromSeconds(20));
        var third = await client.SendAsync(new OtpSendRequest(Israeli));
        Assert.Multiple(() =>
        {
            Assert.That(third.IsSuccess, Is.True, "the cooldown is over: " + third);
            Assert.That(Sends(), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task SendAsync_NumberBudgetSpent_ReturnsRateLimitedUntilTheOldestSendLeavesTheWindow()
    {
        var client = App(g => { NoRules(g); g.MaxSendsPerNumber = 3; g.NumberWindow = TimeSpan.FromHours(1); }).Client;
        for (var i = 0; i < 3; i++)
        {
            Assert.That((await client.SendAsync(new OtpSendRequest(Israeli))).IsSuccess, Is.True);
            Clock.Advance(TimeSpan.FromMinutes(10));
        }

        var refused = await client.SendAsync(new OtpSendRequest(Israeli));
        var other = await client.SendAsync(new OtpSendRequest(Italian));

        Assert.Multiple(() =>
        {
            AssertRefused(refused, OtpErrorCode.RateLimited, OtpGuardRules.Number);
            Assert.That(refused.Error!.RetryAfter, Is.EqualTo(TimeSpan.FromMinutes(30)), "the first send (30 minutes ago) leaves the 1-hour window in 30 minutes");
            Assert.That(other.IsSuccess, Is.True, "another number has its own budget");
            Assert.That(Sends(), Is.EqualTo(4));
        });

        Clock.Advance(TimeSpan.FromMinutes(30));
        Assert.That((await client.SendAsync(new OtpSendRequest(Israeli))).IsSuccess, Is.True, "the window slid");
    }

    [Test]
    public async Task SendAsync_IpBudgetSpent_ReturnsRateLimitedForAnyNumberFromThatIp()
    {
        var client = App(g => { NoRules(g); g.MaxSendsPerIp = 2; }).Client;

        var results = new List<OtpSendResult>();
        foreach (var phone in new[] { "+972541111111", "+972542222222", "+972543333333" })
        {
            results.Add(await client.SendAsync(new OtpSendRequest(phone) { ClientIpAddress = "203.0.113.7" }));
        }

        var otherIp = await client.SendAsync(new OtpSendRequest("+972544444444") { ClientIpAddress = "203.0.113.8" });
        var noIp = await client.SendAsync(new OtpSendRequest("+972545555555"));

        Assert.Multiple(() =>
        {
            Assert.That(results[0].IsSuccess && results[1].IsSuccess, Is.True);
            AssertRefused(results[2], OtpErrorCode.RateLimited, OtpGuardRules.Ip);
            Assert.That(results[2].Error!.RetryAfter, Is.EqualTo(TimeSpan.FromHours(1)));
            Assert.That(otherIp.IsSuccess, Is.True);
            Assert.That(noIp.IsSuccess, Is.True, "a send without an IP is not counted per IP");
            Assert.That(Sends(), Is.EqualTo(4));
        });
    }

    [Test]
    public async Task SendAsync_Ipv6SameSlash64_SharesOneIpBudget()
    {
        var client = App(g => { NoRules(g); g.MaxSendsPerIp = 1; }).Client;

        var first = await client.SendAsync(new OtpSendRequest("+972541111111") { ClientIpAddress = "2001:db8:1:2::1" });
        var sameSubscriber = await client.SendAsync(new OtpSendRequest("+972542222222") { ClientIpAddress = "2001:db8:1:2:ffff::9" });
        var otherPrefix = await client.SendAsync(new OtpSendRequest("+972543333333") { ClientIpAddress = "2001:db8:1:3::1" });
        var mappedV4 = await client.SendAsync(new OtpSendRequest("+972544444444") { ClientIpAddress = "198.51.100.1" });
        var sameV4Mapped = await client.SendAsync(new OtpSendRequest("+972545555555") { ClientIpAddress = "::ffff:198.51.100.1" });

        Assert.Multiple(() =>
        {
            Assert.That(first.IsSuccess, Is.True);
            AssertRefused(sameSubscriber, OtpErrorCode.RateLimited, OtpGuardRules.Ip);
            Assert.That(otherPrefix.IsSuccess, Is.True);
            Assert.That(mappedV4.IsSuccess, Is.True);
            AssertRefused(sameV4Mapped, OtpErrorCode.RateLimited, OtpGuardRules.Ip);
            Assert.That(Sends(), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task SendAsync_TooManyRegionsFromOneIp_ReturnsRateLimitedButKnownRegionsStillPass()
    {
        var client = App(g => { NoRules(g); g.MaxRegionsPerIp = 2; }).Client;
        const string ip = "192.0.2.50";

        var israel = await client.SendAsync(new OtpSendRequest(Israeli) { ClientIpAddress = ip });
        var italy = await client.SendAsync(new OtpSendRequest(Italian) { ClientIpAddress = ip });
        var germany = await client.SendAsync(new OtpSendRequest("+49 151 23456789") { ClientIpAddress = ip });
        var israelAgain = await client.SendAsync(new OtpSendRequest("+972549999999") { ClientIpAddress = ip });
        var germanyOtherIp = await client.SendAsync(new OtpSendRequest("+49 151 23456789") { ClientIpAddress = "192.0.2.51" });

        Assert.Multiple(() =>
        {
            Assert.That(israel.IsSuccess && italy.IsSuccess, Is.True);
            AssertRefused(germany, OtpErrorCode.RateLimited, OtpGuardRules.RegionsPerIp);
            Assert.That(germany.Error!.RetryAfter, Is.EqualTo(TimeSpan.FromHours(24)));
            Assert.That(israelAgain.IsSuccess, Is.True, "a region already counted for the IP passes");
            Assert.That(germanyOtherIp.IsSuccess, Is.True);
            Assert.That(Sends(), Is.EqualTo(4));
        });
    }

    [Test]
    public async Task SendAsync_RegionNotAllowed_ReturnsBlockedAndMakesNoHttpCall()
    {
        var client = App(g => { NoRules(g); g.AllowedRegions.Add("IL"); }).Client;

        var italy = await client.SendAsync(new OtpSendRequest(Italian));
        var israel = await client.SendAsync(new OtpSendRequest(Israeli));

        Assert.Multiple(() =>
        {
            AssertRefused(italy, OtpErrorCode.Blocked, OtpGuardRules.BlockedRegion);
            Assert.That(italy.Error!.IsTransient, Is.False);
            Assert.That(italy.Error.RetryAfter, Is.Null);
            Assert.That(italy.Error.Message, Does.Contain("IT").And.Contain("SendGuard:AllowedRegions"));
            Assert.That(israel.IsSuccess, Is.True);
            Assert.That(Sends(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task SendAsync_BlockedRegionOrNumber_ReturnsBlockedAndMakesNoHttpCall()
    {
        var client = App(g =>
        {
            NoRules(g);
            g.BlockedRegions.Add("it");
            g.BlockedNumbers.Add("+972 54-999-0000");
        }).Client;

        var italy = await client.SendAsync(new OtpSendRequest(Italian));
        var number = await client.SendAsync(new OtpSendRequest("00972549990000"));
        var israel = await client.SendAsync(new OtpSendRequest(Israeli));

        Assert.Multiple(() =>
        {
            AssertRefused(italy, OtpErrorCode.Blocked, OtpGuardRules.BlockedRegion);
            AssertRefused(number, OtpErrorCode.Blocked, OtpGuardRules.BlockedNumber);
            Assert.That(number.Error!.Message, Does.Not.Contain("999"));
            Assert.That(israel.IsSuccess, Is.True);
            Assert.That(Sends(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task SendAsync_RegionBudgetSpent_ReturnsRateLimitedForThatRegionOnly()
    {
        var client = App(g => { NoRules(g); g.MaxSendsPerRegion = 2; }).Client;

        var a = await client.SendAsync(new OtpSendRequest("+972541111111"));
        var b = await client.SendAsync(new OtpSendRequest("+972542222222"));
        var c = await client.SendAsync(new OtpSendRequest("+972543333333"));
        var italy = await client.SendAsync(new OtpSendRequest(Italian));

        Assert.Multiple(() =>
        {
            Assert.That(a.IsSuccess && b.IsSuccess, Is.True);
            AssertRefused(c, OtpErrorCode.RateLimited, OtpGuardRules.Region);
            Assert.That(c.Error!.Message, Does.Contain("IL"));
            Assert.That(italy.IsSuccess, Is.True);
            Assert.That(Sends(), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task SendAsync_GlobalCapSpent_ReturnsRateLimitedForEveryone()
    {
        var client = App(g => { NoRules(g); g.MaxSendsPerHour = 2; }).Client;

        var a = await client.SendAsync(new OtpSendRequest(Israeli));
        var b = await client.SendAsync(new OtpSendRequest(Italian));
        Clock.Advance(TimeSpan.FromMinutes(15));
        var c = await client.SendAsync(new OtpSendRequest("+49 151 23456789"));

        Assert.Multiple(() =>
        {
            Assert.That(a.IsSuccess && b.IsSuccess, Is.True);
            AssertRefused(c, OtpErrorCode.RateLimited, OtpGuardRules.Global);
            Assert.That(c.Error!.RetryAfter, Is.EqualTo(TimeSpan.FromMinutes(45)));
            Assert.That(Sends(), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task SendAsync_RefusedByOneRule_UsesNoOtherBudget()
    {
        var client = App(g => { NoRules(g); g.MaxSendsPerIp = 1; g.MaxSendsPerNumber = 2; }).Client;

        var first = await client.SendAsync(new OtpSendRequest(Israeli) { ClientIpAddress = "203.0.113.1" });
        for (var i = 0; i < 5; i++)
        {
            AssertRefused(await client.SendAsync(new OtpSendRequest(Israeli) { ClientIpAddress = "203.0.113.1" }), OtpErrorCode.RateLimited, OtpGuardRules.Ip);
        }

        var fromElsewhere = await client.SendAsync(new OtpSendRequest(Israeli) { ClientIpAddress = "203.0.113.2" });

        Assert.Multiple(() =>
        {
            Assert.That(first.IsSuccess, Is.True);
            Assert.That(fromElsewhere.IsSuccess, Is.True, "the five refusals took nothing from the number's budget of 2: " + fromElsewhere);
            Assert.That(Sends(), Is.EqualTo(2));
        });
    }

    [TestCase("203.0.113.007")]
    [TestCase("not-an-ip")]
    [TestCase("")]
    public async Task SendAsync_MalformedClientIp_ReturnsInvalidRequestNamingItBeforeHttp(string ip)
    {
        var client = App(NoRules).Client;

        var result = await client.SendAsync(new OtpSendRequest(Israeli) { ClientIpAddress = ip });

        Assert.Multiple(() =>
        {
            Assert.That(result.Error?.Code, Is.EqualTo(OtpErrorCode.InvalidRequest));
            Assert.That(result.Error!.Message, Does.StartWith("ClientIpAddress"));
            Assert.That(Sends(), Is.Zero);
        });
    }

    [Test]
    public async Task SendAsync_RequireClientIpWithoutIp_ReturnsInvalidRequestBeforeHttp()
    {
        var client = App(g => { NoRules(g); g.RequireClientIpAddress = true; }).Client;

        var result = await client.SendAsync(new OtpSendRequest(Israeli));

        Assert.Multiple(() =>
        {
            Assert.That(result.Error?.Code, Is.EqualTo(OtpErrorCode.InvalidRequest));
            Assert.That(result.Error!.Message, Does.Contain("ClientIpAddress is required"));
            Assert.That(Sends(), Is.Zero);
        });
    }

    [Test]
    public async Task SendAsync_MalformedPhone_ReturnsTheClientsErrorAndCountsNothing()
    {
        var client = App(g => { NoRules(g); g.MaxSendsPerHour = 1; }).Client;

        var bad = await client.SendAsync(new OtpSendRequest("12"));
        var good = await client.SendAsync(new OtpSendRequest(Israeli));

        Assert.Multiple(() =>
        {
            Assert.That(bad.Error?.Code, Is.EqualTo(OtpErrorCode.InvalidPhoneNumber));
            Assert.That(good.IsSuccess, Is.True, "the malformed number used none of the global cap");
            Assert.That(Sends(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task VerifyAsync_OverMaxVerifyAttempts_ReturnsRateLimitedAndMakesNoHttpCall()
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Json(200, "{\"verify_status\": \"FAILED\"}"));
        Server.Answer(Endpoints.AmmSearch, Reply.Json(200, "{\"verify_id\": \"amm-1\", \"verify_status\": \"PENDING\"}"));
        var client = App(g => { NoRules(g); g.MaxVerifyAttempts = 2; }).Client;
        var sent = await client.SendAsync(new OtpSendRequest(Israeli));
        var challenge = sent.Challenge! with { ExpiresAt = Clock.GetUtcNow().AddMinutes(5) };

        var first = await client.VerifyAsync(new OtpVerifyRequest(challenge, "1111"));
        var second = await client.VerifyAsync(new OtpVerifyRequest(challenge, "2222"));
        var third = await client.VerifyAsync(new OtpVerifyRequest(challenge, "3333"));
        var otherChallenge = await client.VerifyAsync(new OtpVerifyRequest(challenge with { Id = "amm-2" }, "4444"));

        Assert.Multiple(() =>
        {
            Assert.That(first.Status, Is.Not.EqualTo(OtpVerificationStatus.Failed), first.ToString());
            Assert.That(second.Status, Is.Not.EqualTo(OtpVerificationStatus.Failed), second.ToString());
            Assert.That(third.Status, Is.EqualTo(OtpVerificationStatus.Failed));
            Assert.That(third.Error!.Code, Is.EqualTo(OtpErrorCode.RateLimited));
            Assert.That(third.Error.ProviderCode, Is.EqualTo(OtpGuardRules.VerifyAttempts));
            Assert.That(third.Error.RetryAfter, Is.EqualTo(TimeSpan.FromMinutes(5)), "until the challenge expires");
            Assert.That(otherChallenge.Status, Is.Not.EqualTo(OtpVerificationStatus.Failed), "another challenge has its own attempts");
            Assert.That(Checks(), Is.EqualTo(3));
        });
    }
}
