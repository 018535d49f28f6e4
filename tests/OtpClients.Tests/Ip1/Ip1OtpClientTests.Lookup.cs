using OtpClients.Ip1;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Ip1;

public sealed partial class Ip1OtpClientTests
{
    [Test]
    public async Task GetAuthenticationAsync_DocumentedSample_ParsesEveryField()
    {
        Server.Answer(Endpoints.Ip1Get(1), Reply.Json(200, DocumentedAuthentication));

        var result = await CreateClient().GetAuthenticationAsync(Challenge("1"));

        AssertRequest(Server.SingleRequest(), "GET", "/api/authentications/1", null);
        var authentication = result.Value!;
        Assert.Multiple(() =>
        {
            Assert.That(authentication.Id, Is.EqualTo(1));
            Assert.That(authentication.Phone, Is.EqualTo("sample string 2"));
            Assert.That(authentication.Created, Is.EqualTo(DocumentedDate));
            Assert.That(authentication.HasExpired, Is.True);
            Assert.That(authentication.Expires, Is.EqualTo(DocumentedDate));
            Assert.That(authentication.IsUsed, Is.True);
            Assert.That(authentication.Used, Is.EqualTo(DocumentedDate));
        });
    }

    [Test]
    public async Task GetAuthenticationAsync_ById_Reads()
    {
        Server.Answer(Endpoints.Ip1Get(9), Reply.Json(200, Authentication(9)));
        var result = await CreateClient().GetAuthenticationAsync(9);
        Assert.Multiple(() =>
        {
            Assert.That(result.Value!.Id, Is.EqualTo(9));
            Assert.That(result.Value.ToString(), Does.Not.Contain(Msisdn));
            Assert.That(Server.SingleRequest().Path, Is.EqualTo("/api/authentications/9"));
        });
    }

    [TestCase(404, OtpErrorCode.NotFound)]
    [TestCase(401, OtpErrorCode.Unauthorized)]
    public async Task GetAuthenticationAsync_Error_MapsAndIsNotAccepted(int status, OtpErrorCode code)
    {
        Server.Answer(Endpoints.Ip1Get(9), Reply.Empty(status));
        var result = await CreateClient().GetAuthenticationAsync(9);
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(code));
            Assert.That(result.Error.MayHaveBeenAccepted, Is.False);
        });
    }

    [Test]
    public async Task GetAuthenticationAsync_BadArguments_FailWithoutHttp()
    {
        var client = CreateClient();
        var negative = await client.GetAuthenticationAsync(-1);
        var foreign = await client.GetAuthenticationAsync(new OtpChallenge("AMM", "1", "+" + Msisdn));
        Assert.Multiple(() =>
        {
            Assert.That(negative.Error!.Code, Is.EqualTo(OtpErrorCode.InvalidRequest));
            Assert.That(foreign.Error!.Code, Is.EqualTo(OtpErrorCode.InvalidRequest));
            Assert.That(Server.RequestCount(), Is.Zero);
            Assert.ThrowsAsync<ArgumentNullException>(() => client.GetAuthenticationAsync(null!));
        });
    }

    [Test]
    public async Task ListAuthenticationsAsync_Array_ReadsEveryEntryAndSkipsThoseWithoutId()
    {
        Server.Answer(Endpoints.Ip1List, Reply.Json(200, $"[{DocumentedAuthentication}, {Authentication(2)}, {{\"Phone\": \"x\"}}, null]"));

        var result = await CreateClient().ListAuthenticationsAsync();

        AssertRequest(Server.SingleRequest(), "GET", "/api/authentications", null);
        Assert.That(result.Value!.Select(a => a.Id), Is.EqualTo(new long[] { 1, 2 }));
    }

    [TestCase("{}")]
    [TestCase("")]
    public async Task ListAuthenticationsAsync_NotAnArray_IsUnexpected(string body)
    {
        Server.Answer(Endpoints.Ip1List, Reply.Text(200, body, "application/json"));
        var result = await CreateClient().ListAuthenticationsAsync();
        Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.UnexpectedResponse));
    }

    [Test]
    public async Task GetSettingsAsync_Settings_ConvertsMessageFormatBackToTemplate()
    {
        Server.Answer(Endpoints.Ip1GetSettings, Reply.Json(200, "{\"ConcurrentLimit\": 5, \"From\": \"iP1\", \"MessageFormat\": \"Code {0} {{x}}\", \"Length\": 5, \"ExpirationTime\": 1200, \"NumericOnly\": false}"));

        var result = await CreateClient().GetSettingsAsync();

        AssertRequest(Server.SingleRequest(), "GET", "/api/authentications/settings", null);
        var settings = result.Value!;
        Assert.Multiple(() =>
        {
            Assert.That(settings.ConcurrentLimit, Is.EqualTo(5));
            Assert.That(settings.Sender, Is.EqualTo("iP1"));
            Assert.That(settings.MessageTemplate, Is.EqualTo("Code {code} {x}"));
            Assert.That(settings.CodeLength, Is.EqualTo(5));
            Assert.That(settings.TimeToLive, Is.EqualTo(TimeSpan.FromSeconds(1200)));
            Assert.That(settings.NumericOnly, Is.False);
        });
    }

    [Test]
    public async Task GetSettingsAsync_AllUnset_ReadsNulls()
    {
        Server.Answer(Endpoints.Ip1GetSettings, Reply.Json(200, "{\"ConcurrentLimit\": null, \"From\": null, \"MessageFormat\": null, \"Length\": null, \"ExpirationTime\": null, \"NumericOnly\": null}"));
        var settings = (await CreateClient().GetSettingsAsync()).Value!;
        Assert.That(new object?[] { settings.ConcurrentLimit, settings.Sender, settings.MessageTemplate, settings.CodeLength, settings.TimeToLive, settings.NumericOnly }, Is.All.Null);
    }

    [Test]
    public async Task UpdateSettingsAsync_Settings_PutsEveryPropertyIncludingNulls()
    {
        Server.Answer(Endpoints.Ip1PutSettings, Reply.Empty(204));

        var result = await CreateClient().UpdateSettingsAsync(new Ip1Settings
        {
            ConcurrentLimit = 3,
            MessageTemplate = "Kod: {code} {brand}",
            CodeLength = 6,
            TimeToLive = TimeSpan.FromMinutes(10),
        });

        AssertRequest(Server.SingleRequest(), "PUT", "/api/authentications/settings",
            "{\"ConcurrentLimit\":3,\"From\":null,\"MessageFormat\":\"Kod: {0} {{brand}}\",\"Length\":6,\"ExpirationTime\":600,\"NumericOnly\":null}");
        Assert.Multiple(() =>
        {
            Assert.That(result.IsSuccess, Is.True, "any 2xx is success");
            Assert.That(result.Value!.MessageTemplate, Is.EqualTo("Kod: {code} {brand}"));
            Assert.That(result.Value.TimeToLive, Is.EqualTo(TimeSpan.FromMinutes(10)));
        });
    }

    [Test]
    public async Task UpdateSettingsAsync_BodyInAnswer_IsReturned()
    {
        Server.Answer(Endpoints.Ip1PutSettings, Reply.Json(200, "{\"ConcurrentLimit\": 9, \"Length\": 7}"));
        var result = await CreateClient().UpdateSettingsAsync(new Ip1Settings { ConcurrentLimit = 9, CodeLength = 7 });
        Assert.That(result.Value!.ConcurrentLimit, Is.EqualTo(9));
    }

    public static IEnumerable<TestCaseData> InvalidSettings()
    {
        yield return new TestCaseData(new Ip1Settings { ConcurrentLimit = 0 }, "ConcurrentLimit").SetArgDisplayNames("limit 0");
        yield return new TestCaseData(new Ip1Settings { CodeLength = 2 }, "CodeLength").SetArgDisplayNames("length 2");
        yield return new TestCaseData(new Ip1Settings { CodeLength = 26 }, "CodeLength").SetArgDisplayNames("length 26");
        yield return new TestCaseData(new Ip1Settings { TimeToLive = TimeSpan.Zero }, "TimeToLive").SetArgDisplayNames("ttl 0");
        yield return new TestCaseData(new Ip1Settings { TimeToLive = TimeSpan.FromDays(2) }, "TimeToLive").SetArgDisplayNames("ttl 2 days");
        yield return new TestCaseData(new Ip1Settings { MessageTemplate = "no code" }, "MessageTemplate").SetArgDisplayNames("template");
        yield return new TestCaseData(new Ip1Settings { Sender = "Sender with symbols!" }, "Sender").SetArgDisplayNames("sender");
    }

    [TestCaseSource(nameof(InvalidSettings))]
    public async Task UpdateSettingsAsync_OutOfRange_FailsWithoutHttp(Ip1Settings settings, string field)
    {
        var result = await CreateClient().UpdateSettingsAsync(settings);
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Message, Does.Contain("Ip1Settings." + field));
            Assert.That(Server.RequestCount(), Is.Zero);
        });
    }

    [Test]
    public async Task UpdateSettingsAsync_ServerError_MayHaveBeenAccepted()
    {
        Server.Answer(Endpoints.Ip1PutSettings, Reply.Empty(500));
        var result = await CreateClient().UpdateSettingsAsync(new Ip1Settings { ConcurrentLimit = 2 });
        Assert.That(result.Error!.MayHaveBeenAccepted, Is.True);
    }
}
