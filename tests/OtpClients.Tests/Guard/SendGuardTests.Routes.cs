using System.Globalization;
using OtpClients.Guard;
using OtpClients.Tests.Infrastructure;
using PhoneNumbers;

namespace OtpClients.Tests.Guard;

/// <summary>
/// The pumping and guessing routes a review found through the guard, each as the bot would take it, on the in-memory
/// store and on Redis.
/// </summary>
public sealed partial class SendGuardTests
{
    private static string IsraeliMobile(int i) => "+9725" + (40_000_000 + i).ToString(CultureInfo.InvariantCulture);

    /// <summary>Route 1: 100 /64s of one /48 (each in its own /56), on the guard's defaults. On main all 200 sends went out.</summary>
    [Test]
    public async Task SendAsync_RotatingIpv6SubnetsOfOneSite_StopsAtThePer48Budget()
    {
        var client = App(g => g.AllowedRegions.Add("IL")).Client;
        var sent = 0;
        OtpSendResult? refused = null;
        for (var i = 0; i < 200; i++)
        {
            var result = await client.SendAsync(new OtpSendRequest(IsraeliMobile(i)) { ClientIpAddress = $"2001:db8:7:{i % 100:x2}00::{1 + (i / 100)}" });
            sent += result.IsSuccess ? 1 : 0;
            refused ??= result.IsSuccess ? null : result;
        }

        Assert.Multiple(() =>
        {
            Assert.That(sent, Is.EqualTo(30), "MaxSendsPerIpv6Prefix48 defaults to 30");
            Assert.That(Sends(), Is.EqualTo(30));
            AssertRefused(refused!, OtpErrorCode.RateLimited, OtpGuardRules.Ipv6Prefix48);
            Assert.That(refused!.Error!.Message, Does.Contain("SendGuard:MaxSendsPerIpv6Prefix48"));
        });
    }

    [Test]
    public async Task SendAsync_RotatingIpv6SubnetsOfOne56_StopsAtThePer56Budget()
    {
        var client = App(g => { NoRules(g); g.MaxSendsPerIp = 10; g.MaxSendsPerIpv6Prefix56 = 20; g.MaxSendsPerIpv6Prefix48 = 30; }).Client;
        var sent = 0;
        OtpSendResult? refused = null;
        for (var i = 0; i < 64; i++)
        {
            var result = await client.SendAsync(new OtpSendRequest(IsraeliMobile(i)) { ClientIpAddress = $"2001:db8:7:ab{i % 32:x2}::1" });
            sent += result.IsSuccess ? 1 : 0;
            refused ??= result.IsSuccess ? null : result;
        }

        Assert.Multiple(() =>
        {
            Assert.That(sent, Is.EqualTo(20));
            AssertRefused(refused!, OtpErrorCode.RateLimited, OtpGuardRules.Ipv6Prefix56);
        });
    }

    /// <summary>Route 1: the IPv6 spellings of an exhausted IPv4 address got a fresh budget on main.</summary>
    [TestCase("::ffff:198.51.100.7", TestName = "SendAsync_IPv4MappedSpellingOfAnExhaustedAddress_IsRefused")]
    [TestCase("2002:c633:6407::1", TestName = "SendAsync_6to4SpellingOfAnExhaustedAddress_IsRefused")]
    [TestCase("2002:c633:6407:ffff::99", TestName = "SendAsync_6to4SpellingInAnotherSubnet_IsRefused")]
    [TestCase("64:ff9b::c633:6407", TestName = "SendAsync_Nat64SpellingOfAnExhaustedAddress_IsRefused")]
    [TestCase("64:ff9b:1::c633:6407", TestName = "SendAsync_LocalNat64SpellingOfAnExhaustedAddress_IsRefused")]
    [TestCase("2001:0:4136:e378:8000:63bf:39cc:9bf8", TestName = "SendAsync_TeredoSpellingOfAnExhaustedAddress_IsRefused")]
    public async Task SendAsync_Ipv6SpellingOfAnExhaustedIpv4Address_IsRefused(string spelling)
    {
        var client = App(g => { NoRules(g); g.MaxSendsPerIp = 2; }).Client;
        for (var i = 0; i < 2; i++)
        {
            Assert.That((await client.SendAsync(new OtpSendRequest(IsraeliMobile(i)) { ClientIpAddress = "198.51.100.7" })).IsSuccess, Is.True);
        }

        var other = await client.SendAsync(new OtpSendRequest(IsraeliMobile(10)) { ClientIpAddress = spelling });

        AssertRefused(other, OtpErrorCode.RateLimited, OtpGuardRules.Ip);
        Assert.That(Sends(), Is.EqualTo(2));
    }

    /// <summary>Route 2: numbers of no country and premium ranges went out on the defaults, and BlockedRegions could not name them.</summary>
    [TestCase(800, TestName = "SendAsync_FreephoneNumber_IsBlockedByDefault")]
    [TestCase(870, TestName = "SendAsync_InmarsatNumber_IsBlockedByDefault")]
    [TestCase(881, TestName = "SendAsync_SatelliteNumber_IsBlockedByDefault")]
    [TestCase(882, TestName = "SendAsync_InternationalNetworkNumber882_IsBlockedByDefault")]
    [TestCase(883, TestName = "SendAsync_InternationalNetworkNumber883_IsBlockedByDefault")]
    [TestCase(979, TestName = "SendAsync_InternationalPremiumRateNumber_IsBlockedByDefault")]
    public async Task SendAsync_NumberOfNoCountry_IsBlockedByDefault(int countryCode)
    {
        var number = PhoneNumberUtil.GetInstance().Format(PhoneNumberUtil.GetInstance().GetExampleNumberForNonGeoEntity(countryCode), PhoneNumberFormat.E164);
        Assume.That(PhoneNumber.TryParse(number, out _), Is.True, "the SDK reads libphonenumber's example number");
        var client = App(_ => { }).Client; // the guard's defaults

        var result = await client.SendAsync(new OtpSendRequest(number) { ClientIpAddress = "198.51.100.7" });

        Assert.Multiple(() =>
        {
            AssertBlocked(result, OtpGuardRules.BlockedNumberType);
            Assert.That(result.Error!.Message, Does.Contain("NonGeographic").And.Contain("SendGuard:AllowedNumberTypes"));
            Assert.That(Sends(), Is.Zero);
        });
    }

    [TestCase(PhoneNumberType.PREMIUM_RATE, "PremiumRate")]
    [TestCase(PhoneNumberType.SHARED_COST, "SharedCost")]
    public async Task SendAsync_PremiumOrSharedCostNumber_IsBlockedUnlessItsTypeIsAllowed(PhoneNumberType type, string name)
    {
        var util = PhoneNumberUtil.GetInstance();
        var example = new[] { "IT", "GB", "FR", "ES", "DE", "BE", "CH", "IL" }.Select(r => util.GetExampleNumberForType(r, type)).First(n => n is not null);
        var number = util.Format(example, PhoneNumberFormat.E164);
        var strict = App(NoRules).Client;
        var loose = App(g => { NoRules(g); g.AllowedNumberTypes.Add(name); }).Client;

        var blocked = await strict.SendAsync(new OtpSendRequest(number));
        var allowed = await loose.SendAsync(new OtpSendRequest(number));

        Assert.Multiple(() =>
        {
            AssertBlocked(blocked, OtpGuardRules.BlockedNumberType);
            Assert.That(blocked.Error!.Message, Does.Contain(name));
            Assert.That(allowed.IsSuccess, Is.True, allowed.ToString());
            Assert.That(Sends(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task SendAsync_NumberOfNoCountryWithBlockedRegionsSet_IsOutsideTheAllowedSet()
    {
        var satellite = PhoneNumberUtil.GetInstance().Format(PhoneNumberUtil.GetInstance().GetExampleNumberForNonGeoEntity(881), PhoneNumberFormat.E164);
        var allowedType = App(g => { NoRules(g); g.AllowedNumberTypes.Add("NonGeographic"); }).Client;
        var blockedRegions = App(g => { NoRules(g); g.AllowedNumberTypes.Add("NonGeographic"); g.BlockedRegions.Add("RU"); }).Client;

        var sent = await allowedType.SendAsync(new OtpSendRequest(satellite));
        var refused = await blockedRegions.SendAsync(new OtpSendRequest(satellite));

        Assert.Multiple(() =>
        {
            Assert.That(sent.IsSuccess, Is.True, "allowed by name: " + sent);
            AssertBlocked(refused, OtpGuardRules.BlockedRegion);
            Assert.That(refused.Error!.Message, Does.Contain("non-geographic"));
        });
    }

    /// <summary>Route 7: a guesser spreading wrong codes over many challenges from one IP.</summary>
    [Test]
    public async Task VerifyAsync_WrongCodesOverManyChallengesFromOneIp_AreStoppedAtThePerIpBudget()
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Json(200, "{\"verify_status\": \"FAILED\"}"));
        Server.Answer(Endpoints.AmmSearch, Reply.Json(200, "{\"verify_id\": \"amm-1\", \"verify_status\": \"PENDING\"}"));
        var client = App(g => { NoRules(g); g.MaxVerifyAttempts = 3; g.MaxFailedChecksPerIp = 5; g.MaxFailedChecksPerPrefix = 8; }).Client;
        var challenge = new OtpChallenge("AMM", "amm-1", "+972541234567") { ExpiresAt = Clock.GetUtcNow().AddMinutes(5) };
        var results = new List<OtpVerifyResult>();
        for (var i = 0; i < 6; i++)
        {
            results.Add(await client.VerifyAsync(new OtpVerifyRequest(challenge with { Id = "amm-" + (100 + i) }, "1111") { ClientIpAddress = "198.51.100.7" }));
        }

        var neighbour = new List<OtpVerifyResult>();
        for (var i = 0; i < 4; i++)
        {
            neighbour.Add(await client.VerifyAsync(new OtpVerifyRequest(challenge with { Id = "amm-" + (200 + i) }, "1111") { ClientIpAddress = "198.51.100." + (20 + i) }));
        }

        var elsewhere = await client.VerifyAsync(new OtpVerifyRequest(challenge with { Id = "amm-300" }, "1111") { ClientIpAddress = "192.0.2.1" });

        Assert.Multiple(() =>
        {
            Assert.That(results.Take(5).Select(r => r.Status), Is.All.EqualTo(OtpVerificationStatus.InvalidCode));
            Assert.That(results[5].Error?.ProviderCode, Is.EqualTo(OtpGuardRules.FailedChecksPerIp));
            Assert.That(results[5].Error?.Code, Is.EqualTo(OtpErrorCode.RateLimited));
            Assert.That(neighbour.Take(3).Select(r => r.Status), Is.All.EqualTo(OtpVerificationStatus.InvalidCode), "other addresses of the network, until its budget");
            Assert.That(neighbour[3].Error?.ProviderCode, Is.EqualTo(OtpGuardRules.FailedChecksPerPrefix));
            Assert.That(elsewhere.Status, Is.EqualTo(OtpVerificationStatus.InvalidCode), "another network is not touched");
            Assert.That(Checks(), Is.EqualTo(9));
        });
    }

    [Test]
    public async Task VerifyAsync_RightCodes_DoNotCountAsFailedChecks()
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Json(200, "{\"verify_status\": \"VERIFIED\"}"));
        var client = App(g => { NoRules(g); g.MaxFailedChecksPerIp = 2; }).Client;
        var challenge = new OtpChallenge("AMM", "amm-1", "+972541234567") { ExpiresAt = Clock.GetUtcNow().AddMinutes(5) };
        var results = new List<OtpVerifyResult>();
        for (var i = 0; i < 5; i++)
        {
            results.Add(await client.VerifyAsync(new OtpVerifyRequest(challenge with { Id = "amm-" + i }, "1234") { ClientIpAddress = "198.51.100.7" }));
        }

        Assert.That(results.Select(r => r.Status), Is.All.EqualTo(OtpVerificationStatus.Verified), "an office behind one IP verifying all day is not a guesser");
    }

    /// <summary>Route 4, on AMM's ids: a spelling that differs only by case or white space shares the count.</summary>
    [Test]
    public async Task VerifyAsync_RewrittenChallengeId_SharesTheAttemptsOfTheId()
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Json(200, "{\"verify_status\": \"FAILED\"}"));
        Server.Answer(Endpoints.AmmSearch, Reply.Json(200, "{\"verify_id\": \"amm-1\", \"verify_status\": \"PENDING\"}"));
        var client = App(g => { NoRules(g); g.MaxVerifyAttempts = 2; }).Client;
        var challenge = new OtpChallenge("AMM", "amm-1", "+972541234567") { ExpiresAt = Clock.GetUtcNow().AddMinutes(5) };
        await client.VerifyAsync(new OtpVerifyRequest(challenge, "1111"));
        await client.VerifyAsync(new OtpVerifyRequest(challenge, "2222"));

        var upper = await client.VerifyAsync(new OtpVerifyRequest(challenge with { Id = "AMM-1" }, "3333"));

        Assert.Multiple(() =>
        {
            Assert.That(upper.Error?.ProviderCode, Is.EqualTo(OtpGuardRules.VerifyAttempts), upper.ToString());
            Assert.That(Checks(), Is.EqualTo(2));
        });
    }

    [TestCase("123", "123")]
    [TestCase("000123", "123")]
    [TestCase("+0123", "123")]
    [TestCase(" 123 ", "123")]
    [TestCase("0", "0")]
    [TestCase("000", "0")]
    [TestCase("amm-1", "AMM-1")]
    [TestCase(" Amm-1\t", "AMM-1")]
    public void CanonicalChallengeId_SpellingsOfOneId_AreOne(string spelling, string canonical) =>
        Assert.That(SendGuardPolicy.CanonicalChallengeId(spelling), Is.EqualTo(canonical));

    private static void AssertBlocked(OtpSendResult result, string rule)
    {
        Assert.That(result.IsSuccess, Is.False, result.ToString());
        Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.Blocked), result.Error.ToString());
        Assert.That(result.Error.ProviderCode, Is.EqualTo(rule));
    }
}
