using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Guard;

/// <summary>Verification sessions over a real AMM stand-in, with the in-memory store and on a real redis-server.</summary>
[TestFixture(StoreKind.Memory)]
[TestFixture(StoreKind.Redis)]
public sealed class VerificationSessionsTests(StoreKind store) : GuardFixture(store)
{
    private const string Verified = "{\"verify_status\": \"VERIFIED\"}";

    private IOtpVerificationSessions Sessions(int maxAttempts = 5) => App(guard: null, sessions: o => o.MaxAttempts = maxAttempts).Sessions;

    [Test]
    public async Task StartAsync_ThenCheckAsync_VerifiesOnceForTheNumberKeptOnTheServer()
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Json(200, Verified));
        var sessions = Sessions();

        var started = await sessions.StartAsync(new OtpSendRequest("+39 348-123-4567"));
        var checkedOnce = await sessions.CheckAsync(started.VerificationId!, "123456", "203.0.113.9");
        var checkedTwice = await sessions.CheckAsync(started.VerificationId!, "123456");

        var check = Server.Requests().Single(r => r.Path == "/sms/v2/verify/check");
        Assert.Multiple(() =>
        {
            Assert.That(started.IsSuccess, Is.True, started.ToString());
            Assert.That(started.VerificationId, Does.Match("^[A-Za-z0-9_-]{22}$"), "128 random bits, base64url");
            Assert.That(started.ProviderName, Is.EqualTo("AMM"));
            Assert.That(started.ExpiresAt, Is.GreaterThan(Clock.GetUtcNow()));
            Assert.That(started.ToString(), Does.Not.Contain(started.VerificationId));
            Assert.That(checkedOnce.IsVerified, Is.True, checkedOnce.ToString());
            Assert.That(checkedOnce.PhoneNumber, Is.EqualTo("+393481234567"));
            Assert.That(checkedOnce.ToString(), Does.Not.Contain("1234567"));
            Assert.That(check.QueryFields(), Is.EqualTo(new Dictionary<string, string> { ["verify_id"] = "amm-1", ["verify_code"] = "123456", ["ip_address"] = "203.0.113.9" }));
            Assert.That(checkedTwice.Status, Is.EqualTo(OtpVerificationStatus.NotFound), "a verified session is gone");
            Assert.That(Checks(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task StartAsync_TwoSessions_GetDifferentIds()
    {
        var sessions = Sessions();

        var a = await sessions.StartAsync(new OtpSendRequest(Israeli));
        var b = await sessions.StartAsync(new OtpSendRequest(Israeli));

        Assert.That(a.VerificationId, Is.Not.EqualTo(b.VerificationId));
    }

    [Test]
    public async Task StartAsync_SendFails_ReturnsTheErrorAndOpensNoSession()
    {
        var sessions = Sessions();

        var started = await sessions.StartAsync(new OtpSendRequest("+39 12"));

        Assert.Multiple(() =>
        {
            Assert.That(started.IsSuccess, Is.False);
            Assert.That(started.Error!.Code, Is.EqualTo(OtpErrorCode.InvalidPhoneNumber));
            Assert.That(started.VerificationId, Is.Null);
            Assert.That(Server.RequestCount(), Is.Zero);
        });
    }

    [TestCase("AAAAAAAAAAAAAAAAAAAAAA", TestName = "CheckAsync_NeverIssuedId_ReturnsNotFoundWithoutHttp")]
    [TestCase("", TestName = "CheckAsync_EmptyId_ReturnsNotFoundWithoutHttp")]
    [TestCase("not an id at all", TestName = "CheckAsync_GarbageId_ReturnsNotFoundWithoutHttp")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAB", TestName = "CheckAsync_NonCanonicalId_ReturnsNotFoundWithoutHttp")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAA==", TestName = "CheckAsync_PaddedId_ReturnsNotFoundWithoutHttp")]
    public async Task CheckAsync_UnknownId_ReturnsNotFoundWithoutHttp(string id)
    {
        var result = await Sessions().CheckAsync(id, "123456");

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.NotFound));
            Assert.That(result.Error, Is.Null);
            Assert.That(Server.RequestCount(), Is.Zero);
        });
    }

    [Test]
    public async Task CheckAsync_AlteredId_ReturnsNotFoundWithoutHttp()
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Json(200, Verified));
        var sessions = Sessions();
        var started = await sessions.StartAsync(new OtpSendRequest(Israeli));
        var id = started.VerificationId!;
        var altered = (id[0] == 'A' ? 'B' : 'A') + id[1..];

        var result = await sessions.CheckAsync(altered, "123456");
        var original = await sessions.CheckAsync(id, "123456");

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.NotFound));
            Assert.That(original.IsVerified, Is.True, "the real session is untouched");
            Assert.That(Checks(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task CheckAsync_AfterExpiry_ReturnsNotFoundWithoutHttp()
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Json(200, Verified));
        var sessions = App(guard: null, sessions: o => o.DefaultTimeToLive = TimeSpan.FromMinutes(2)).Sessions;
        var started = await sessions.StartAsync(new OtpSendRequest(Israeli));

        Clock.Advance(started.ExpiresAt - Clock.GetUtcNow() + TimeSpan.FromSeconds(1));
        var result = await sessions.CheckAsync(started.VerificationId!, "123456");

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.NotFound));
            Assert.That(Checks(), Is.Zero);
        });
    }

    [Test]
    public async Task CheckAsync_OverMaxAttempts_ReturnsTooManyAttemptsWithoutHttpUntilItExpires()
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Json(200, "{\"verify_status\": \"FAILED\"}"));
        Server.Answer(Endpoints.AmmSearch, Reply.Json(200, "{\"verify_id\": \"amm-1\", \"verify_status\": \"PENDING\"}"));
        var sessions = Sessions(maxAttempts: 3);
        var started = await sessions.StartAsync(new OtpSendRequest(Israeli));

        var wrong = new List<OtpVerifyResult>();
        for (var i = 0; i < 3; i++)
        {
            wrong.Add(await sessions.CheckAsync(started.VerificationId!, "00000" + i));
        }

        var fourth = await sessions.CheckAsync(started.VerificationId!, "123456");
        var fifth = await sessions.CheckAsync(started.VerificationId!, "123456");

        Assert.Multiple(() =>
        {
            Assert.That(wrong.Select(r => r.Status), Is.All.EqualTo(OtpVerificationStatus.InvalidCode));
            Assert.That(fourth.Status, Is.EqualTo(OtpVerificationStatus.TooManyAttempts));
            Assert.That(fifth.Status, Is.EqualTo(OtpVerificationStatus.TooManyAttempts), "the exhausted session answers so until it expires");
            Assert.That(Checks(), Is.EqualTo(3));
        });
    }

    [TestCase("EXPIRED", OtpVerificationStatus.Expired)]
    public async Task CheckAsync_FinalProviderAnswer_EndsTheSession(string status, OtpVerificationStatus expected)
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Json(200, $"{{\"verify_status\": \"{status}\"}}"));
        var sessions = Sessions();
        var started = await sessions.StartAsync(new OtpSendRequest(Israeli));

        var first = await sessions.CheckAsync(started.VerificationId!, "123456");
        var again = await sessions.CheckAsync(started.VerificationId!, "123456");

        Assert.Multiple(() =>
        {
            Assert.That(first.Status, Is.EqualTo(expected));
            Assert.That(again.Status, Is.EqualTo(OtpVerificationStatus.NotFound));
            Assert.That(Checks(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task CheckAsync_ProviderFailure_KeepsTheSessionForAnotherTry()
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Json(500, "{}"), Reply.Json(200, Verified));
        var sessions = Sessions();
        var started = await sessions.StartAsync(new OtpSendRequest(Israeli));

        var failed = await sessions.CheckAsync(started.VerificationId!, "123456");
        var verified = await sessions.CheckAsync(started.VerificationId!, "123456");

        Assert.Multiple(() =>
        {
            Assert.That(failed.Status, Is.EqualTo(OtpVerificationStatus.Failed), failed.ToString());
            Assert.That(verified.IsVerified, Is.True, verified.ToString());
        });
    }

    [Test]
    public void CheckAsync_NullArguments_Throw()
    {
        var sessions = Sessions();

        Assert.Multiple(() =>
        {
            Assert.That(() => sessions.CheckAsync(null!, "1"), Throws.ArgumentNullException);
            Assert.That(() => sessions.CheckAsync("AAAAAAAAAAAAAAAAAAAAAA", null!), Throws.ArgumentNullException);
            Assert.That(() => sessions.StartAsync(null!), Throws.ArgumentNullException);
        });
    }

    [Test]
    public async Task CheckAsync_ProviderUnavailable_GivesBackTheAttempt()
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Empty(503), Reply.Json(200, Verified));
        var sessions = App(guard: null, s => s.MaxAttempts = 1).Sessions;
        var started = await sessions.StartAsync(new OtpSendRequest(Israeli));

        var outage = await sessions.CheckAsync(started.VerificationId!, "123456");
        var retry = await sessions.CheckAsync(started.VerificationId!, "123456");

        Assert.Multiple(() =>
        {
            Assert.That(outage.Error?.Code, Is.EqualTo(OtpErrorCode.ProviderUnavailable), outage.ToString());
            Assert.That(retry.IsVerified, Is.True, "the session's one attempt was not spent by the outage: " + retry);
            Assert.That(Checks(), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task CheckAsync_WrongCode_KeepsTheAttempt()
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Json(200, "{\"verify_status\": \"FAILED\"}"), Reply.Json(200, Verified));
        Server.Answer(Endpoints.AmmSearch, Reply.Json(200, "{\"verify_id\": \"amm-1\", \"verify_status\": \"PENDING\"}"));
        var sessions = App(guard: null, s => s.MaxAttempts = 1).Sessions;
        var started = await sessions.StartAsync(new OtpSendRequest(Israeli));

        var wrong = await sessions.CheckAsync(started.VerificationId!, "000000");
        var next = await sessions.CheckAsync(started.VerificationId!, "123456");

        Assert.Multiple(() =>
        {
            Assert.That(wrong.Status, Is.EqualTo(OtpVerificationStatus.InvalidCode), wrong.ToString());
            Assert.That(next.Status, Is.EqualTo(OtpVerificationStatus.TooManyAttempts), next.ToString());
            Assert.That(Checks(), Is.EqualTo(1));
        });
    }
}
