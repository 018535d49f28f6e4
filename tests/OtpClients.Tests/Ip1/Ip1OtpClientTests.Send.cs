using OtpClients.Ip1;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Ip1;

public sealed partial class Ip1OtpClientTests
{
    [Test]
    public async Task SendAsync_MinimalRequest_PostsPhoneOnly()
    {
        Server.Answer(Endpoints.Ip1Create, Reply.Json(200, DocumentedAuthentication));

        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));

        AssertRequest(Server.SingleRequest(), "POST", "/api/authentications", $"{{\"Phone\":\"{Msisdn}\"}}");
        Assert.That(result.Challenge, Is.EqualTo(new OtpChallenge("iP1", "1", "+" + Msisdn) { ExpiresAt = DocumentedDate }));
    }

    [TestCase("+972 050-123-4567", "972501234567")]
    [TestCase("+44 (0)20 7946 0958", "442079460958")]
    [TestCase("0046 070 123 45 67", "46701234567")]
    public async Task SendAsync_TrunkPrefixAfterCountryCode_IsDroppedOnTheWire(string typed, string msisdn)
    {
        Server.Answer(Endpoints.Ip1Create, Reply.Json(200, Authentication(5)));

        var result = await CreateClient().SendAsync(new OtpSendRequest(typed));

        AssertRequest(Server.SingleRequest(), "POST", "/api/authentications", $"{{\"Phone\":\"{msisdn}\"}}");
        Assert.That(result.Challenge!.PhoneNumber, Is.EqualTo("+" + msisdn));
    }

    [Test]
    public async Task SendAsync_EverySetting_SendsEveryField()
    {
        Server.Answer(Endpoints.Ip1Create, Reply.Json(200, Authentication(77)));
        var client = CreateClient(o =>
        {
            o.Sender = "Contoso";
            o.NumericOnly = true;
        });

        var result = await client.SendAsync(new OtpSendRequest(Phone)
        {
            MessageTemplate = "Din kod är {code} – {brand}",
            CodeLength = 6,
            TimeToLive = TimeSpan.FromMinutes(5),
        });

        AssertRequest(Server.SingleRequest(), "POST", "/api/authentications",
            $"{{\"Phone\":\"{Msisdn}\",\"From\":\"Contoso\",\"MessageFormat\":\"Din kod är {{0}} – {{{{brand}}}}\",\"Length\":6,\"ExpirationTime\":300,\"NumericOnly\":true}}");
        Assert.That(result.Challenge!.Id, Is.EqualTo("77"));
    }

    [Test]
    public async Task SendAsync_OptionDefaults_AreSentAndRequestOverridesThem()
    {
        Server.Answer(Endpoints.Ip1Create, Reply.Json(200, Authentication(1)), Reply.Json(200, Authentication(2)));
        var client = CreateClient(o =>
        {
            o.Sender = "Default";
            o.MessageTemplate = "Default {code}";
            o.CodeLength = 8;
            o.TimeToLive = TimeSpan.FromMinutes(1);
            o.NumericOnly = false;
        });

        await client.SendAsync(new OtpSendRequest(Phone));
        await client.SendAsync(new OtpSendRequest(Phone) { Sender = "46700000000", MessageTemplate = "Mine {code}", CodeLength = 3, TimeToLive = TimeSpan.FromSeconds(1) });

        JsonAssert.AreEquivalent(Server.Requests()[0].BodyText, $"{{\"Phone\":\"{Msisdn}\",\"From\":\"Default\",\"MessageFormat\":\"Default {{0}}\",\"Length\":8,\"ExpirationTime\":60,\"NumericOnly\":false}}");
        JsonAssert.AreEquivalent(Server.Requests()[1].BodyText, $"{{\"Phone\":\"{Msisdn}\",\"From\":\"46700000000\",\"MessageFormat\":\"Mine {{0}}\",\"Length\":3,\"ExpirationTime\":1,\"NumericOnly\":false}}");
    }

    [Test]
    public async Task SendAsync_ExpiresWithoutOffset_IsReadAsUtc()
    {
        Server.Answer(Endpoints.Ip1Create, Reply.Json(200, "{\"ID\": 5, \"Expires\": \"2026-11-22T10:20:00\"}"));
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));
        Assert.That(result.Challenge!.ExpiresAt, Is.EqualTo(new DateTimeOffset(2026, 11, 22, 10, 20, 0, TimeSpan.Zero)));
    }

    [Test]
    public async Task SendAsync_NoExpiresButTimeToLive_ExpiresAtFromClock()
    {
        Server.Answer(Endpoints.Ip1Create, Reply.Json(200, "{\"ID\": \"5\", \"Expires\": \"not a date\"}"));
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone) { TimeToLive = TimeSpan.FromSeconds(90) });
        Assert.Multiple(() =>
        {
            Assert.That(result.Challenge!.Id, Is.EqualTo("5"));
            Assert.That(result.Challenge.ExpiresAt, Is.EqualTo(Clock.GetUtcNow().AddSeconds(90)));
        });
    }

    [Test]
    public async Task SendAsync_NoExpiresNoTimeToLive_ExpiresAtUnknown()
    {
        Server.Answer(Endpoints.Ip1Create, Reply.Json(200, "{\"ID\": 5}"));
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));
        Assert.That(result.Challenge!.ExpiresAt, Is.Null, "the account's default TTL is not known to the client");
    }

    public static IEnumerable<TestCaseData> InvalidSendRequests()
    {
        static TestCaseData Case(OtpSendRequest request, OtpErrorCode code, string fragment, string name) => new TestCaseData(request, code, fragment).SetArgDisplayNames(name);
        yield return Case(new OtpSendRequest("0701234567"), OtpErrorCode.InvalidPhoneNumber, "PhoneNumber", "local phone");
        yield return Case(new OtpSendRequest("+46 70 ABC"), OtpErrorCode.InvalidPhoneNumber, "letters", "letters");
        yield return Case(new OtpSendRequest(Phone) { MessageTemplate = "Kod {0}" }, OtpErrorCode.InvalidMessage, "'{0}'", "native placeholder");
        yield return Case(new OtpSendRequest(Phone) { MessageTemplate = "Kod" }, OtpErrorCode.InvalidMessage, "{code}", "no placeholder");
        yield return Case(new OtpSendRequest(Phone) { Sender = "TooLongSender" }, OtpErrorCode.InvalidSender, "11", "long sender");
        yield return Case(new OtpSendRequest(Phone) { CodeLength = 2 }, OtpErrorCode.InvalidRequest, "between 3 and 25", "length 2");
        yield return Case(new OtpSendRequest(Phone) { CodeLength = 26 }, OtpErrorCode.InvalidRequest, "between 3 and 25", "length 26");
        yield return Case(new OtpSendRequest(Phone) { TimeToLive = TimeSpan.Zero }, OtpErrorCode.InvalidRequest, "between 1 s and 86400 s", "ttl 0");
        yield return Case(new OtpSendRequest(Phone) { TimeToLive = TimeSpan.FromSeconds(86401) }, OtpErrorCode.InvalidRequest, "between 1 s and 86400 s", "ttl 86401");
        yield return Case(new OtpSendRequest(Phone) { TimeToLive = TimeSpan.FromMilliseconds(1500) }, OtpErrorCode.InvalidRequest, "whole seconds", "ttl 1.5 s");
        yield return Case(new OtpSendRequest(Phone) { TimeToLive = TimeSpan.FromSeconds(-1) }, OtpErrorCode.InvalidRequest, "TimeToLive", "ttl negative");
    }

    [TestCaseSource(nameof(InvalidSendRequests))]
    public async Task SendAsync_InvalidRequest_FailsBeforeAnyHttpCall(OtpSendRequest request, OtpErrorCode code, string fragment)
    {
        var result = await CreateClient().SendAsync(request);
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(code));
            Assert.That(result.Error.Message, Does.Contain(fragment));
            Assert.That(Server.RequestCount(), Is.Zero);
        });
    }

    /// <summary>The iP1 error table; kept apart from the implementation's on purpose.</summary>
    public static IEnumerable<TestCaseData> ErrorRows()
    {
        static TestCaseData Row(int status, string body, OtpErrorCode code, bool transient, bool accepted, string name) =>
            new TestCaseData(status, body, code, transient, accepted).SetArgDisplayNames(name);
        yield return Row(400, "{\"Message\":\"The request is invalid.\",\"ModelState\":{\"authentication.Phone\":[\"The Phone field is required.\"]}}", OtpErrorCode.InvalidPhoneNumber, false, false, "400 ModelState Phone");
        yield return Row(400, "{\"Message\":\"The request is invalid.\",\"ModelState\":{\"model.MessageFormat\":[\"must contain {0}\"]}}", OtpErrorCode.InvalidMessage, false, false, "400 ModelState MessageFormat");
        yield return Row(400, "{\"Message\":\"The request is invalid.\",\"ModelState\":{\"From\":[\"too long\"]}}", OtpErrorCode.InvalidSender, false, false, "400 ModelState From");
        yield return Row(400, "{\"Message\":\"The request is invalid.\",\"ModelState\":{\"authentication.Length\":[\"range\"]}}", OtpErrorCode.InvalidRequest, false, false, "400 ModelState Length");
        yield return Row(400, "{\"Message\":\"The request is invalid.\"}", OtpErrorCode.InvalidRequest, false, false, "400 Message only");
        yield return Row(400, "", OtpErrorCode.InvalidRequest, false, false, "400 empty");
        yield return Row(400, "{\"Message\":\"ConcurrentLimit reached for phone\"}", OtpErrorCode.RateLimited, true, false, "400 concurrent limit");
        yield return Row(403, "{\"Message\":\"Too many concurrent authentications\"}", OtpErrorCode.RateLimited, true, false, "403 concurrent limit");
        yield return Row(401, "{\"Message\":\"Authorization has been denied for this request.\"}", OtpErrorCode.Unauthorized, false, false, "401");
        yield return Row(403, "{\"Message\":\"Not enough credits\"}", OtpErrorCode.InsufficientCredit, false, false, "403 credits");
        yield return Row(403, "", OtpErrorCode.InsufficientCredit, false, false, "403 empty");
        yield return Row(404, "", OtpErrorCode.NotFound, false, false, "404");
        yield return Row(429, "", OtpErrorCode.RateLimited, true, false, "429");
        yield return Row(500, "{\"Message\":\"An error has occurred.\"}", OtpErrorCode.ProviderError, true, true, "500");
        yield return Row(500, "<html><body>YSOD</body></html>", OtpErrorCode.ProviderError, true, true, "500 html");
        yield return Row(503, "", OtpErrorCode.ProviderUnavailable, true, false, "503");
    }

    [TestCaseSource(nameof(ErrorRows))]
    public async Task SendAsync_ErrorAnswer_MapsToError(int status, string body, OtpErrorCode code, bool transient, bool accepted)
    {
        Server.Answer(Endpoints.Ip1Create, Reply.Text(status, body, body.StartsWith('{') ? "application/json" : "text/html"));

        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));

        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(code));
            Assert.That(result.Error.HttpStatusCode, Is.EqualTo(status));
            Assert.That(result.Error.IsTransient, Is.EqualTo(transient));
            Assert.That(result.Error.MayHaveBeenAccepted, Is.EqualTo(accepted));
        });
    }

    [Test]
    public void ErrorTables_EveryRowIsCoveredByATest()
    {
        var statuses = ErrorRows().Select(r => (int)r.Arguments[0]!).ToHashSet();
        var bodies = string.Join('\n', ErrorRows().Select(r => (string)r.Arguments[1]!));
        Assert.Multiple(() =>
        {
            Assert.That(statuses, Is.SupersetOf(Ip1Errors.ByHttpStatus.Keys));
            foreach (var field in Ip1Errors.ByModelStateField.Keys)
            {
                Assert.That(bodies, Does.Contain("." + field + "\"").Or.Contain("\"" + field + "\""), field);
            }

            foreach (var keyword in Ip1Errors.ByMessageKeyword.Keys)
            {
                Assert.That(bodies, Does.Contain(keyword).IgnoreCase, keyword);
            }
        });
    }

    [Test]
    public async Task SendAsync_ErrorMessageEchoingThePhone_IsRedacted()
    {
        Server.Answer(Endpoints.Ip1Create, Reply.Json(400, $"{{\"Message\":\"Phone {Msisdn} is not valid\",\"ModelState\":{{\"authentication.Phone\":[\"Phone {Msisdn} is bad\"]}}}}"));
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Message, Does.Not.Contain(Msisdn));
            Assert.That(result.Error.Message, Does.Contain("iP1 said: Phone *** is not valid"));
            Assert.That(result.Error.ProviderCode, Is.EqualTo("authentication.Phone"));
        });
    }

    [TestCase("")]
    [TestCase("{}")]
    [TestCase("{\"ID\": null}")]
    [TestCase("{\"ID\": -1}")]
    [TestCase("{\"ID\": \"abc\"}")]
    [TestCase("[]")]
    [TestCase("<html/>")]
    public async Task SendAsync_UnreadableSuccess_IsUnexpectedAndMayHaveBeenAccepted(string body)
    {
        Server.Answer(Endpoints.Ip1Create, Reply.Text(200, body, "application/json"));
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.UnexpectedResponse));
            Assert.That(result.Error.MayHaveBeenAccepted, Is.True);
        });
    }
}
