using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.NinetyNineDigital;

/// <summary>99digital answers that try to talk a check into "yes", odd send fields, ambiguous refusals, countries.</summary>
public sealed partial class NinetyNineDigitalOtpClientTests
{
    public static IEnumerable<TestCaseData> NotCleanChecks()
    {
        static TestCaseData Case(string body, string name, string contentType = "application/json") =>
            new TestCaseData(body, contentType).SetArgDisplayNames(name);

        // status: absent, null, wrong type, empty, other case, repeated.
        yield return Case("{\"phone\": \"0501234567\"}", "status absent");
        yield return Case("{\"status\": null, \"phone\": \"0501234567\"}", "status null");
        yield return Case("{\"status\": {}, \"phone\": \"0501234567\"}", "status object");
        yield return Case("{\"status\": [1]}", "status array");
        yield return Case("{\"status\": \"\"}", "status empty");
        yield return Case("{\"status\": 1.0}", "status 1.0");
        yield return Case("{\"status\": \" 1\"}", "status padded");
        yield return Case("{\"status\": true}", "status true");
        yield return Case("{\"Status\": 1}", "Status in another case");
        yield return Case("{\"status\": 0, \"Status\": 1}", "0 then Status 1");
        yield return Case("{\"status\": 0, \"status\": 1}", "status repeated");

        // Contradictions.
        yield return Case("{\"status\": 1, \"reason\": 6}", "status 1 with reason 6");
        yield return Case("{\"status\": 1, \"reason\": \"wrong key\"}", "status 1 with a reason text");
        yield return Case("{\"status\": 1, \"reason\": {}}", "status 1 with a reason object");
        yield return Case("{\"status\": 1, \"reason\": 0}", "status 1 with reason 0");
        yield return Case("{\"status\": 1, \"phone\": \"0509999999\"}", "status 1 for another phone");
        yield return Case("{\"status\": 1, \"phone\": \"972509999999\"}", "status 1 for another international phone");
        yield return Case("{\"status\": 1, \"phone\": {}}", "status 1 with a phone object");
        yield return Case("{\"status\": 1, \"phone\": \"\"}", "status 1 with an empty phone");
        yield return Case("{\"status\": 1}", "status 1 without phone");
        yield return Case("{\"status\": 1, \"phone\": null}", "status 1 with a null phone");

        // Not strict JSON, or not declared as JSON.
        yield return Case("{\"status\": 1, \"x\": 1, \"x\": 2}", "unread property repeated");
        yield return Case("{\"status\": 1, \"x\": [{\"y\": 1, \"y\": 2}]}", "property repeated deep");
        yield return Case("{\"status\": 1 // ok\n}", "comment");
        yield return Case("{\"status\": 1}", "text/html", "text/html");
    }

    [TestCaseSource(nameof(NotCleanChecks))]
    public async Task VerifyAsync_NotACleanSuccess_IsNeverVerified(string body, string contentType)
    {
        Server.Answer(Endpoints.NinetyNineDigital(), Reply.Text(200, body, contentType));
        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), "123456"));
        Assert.Multiple(() =>
        {
            Assert.That(result.IsVerified, Is.False, result.ToString());
            Assert.That(result.Status, Is.AnyOf(OtpVerificationStatus.Failed, OtpVerificationStatus.InvalidCode), result.ToString());
        });
    }

    [TestCase("{\"status\": 1, \"phone\": \"0501234567\",}", "documented example: trailing comma")]
    [TestCase("{\"status\": \"1\", \"phone\": \"972501234567\"}", "international phone")]
    [TestCase("{\"status\": 1, \"phone\": \"+972501234567\", \"reason\": null}", "E.164 phone, null reason")]
    [TestCase("{\"status\": 1, \"reason\": \"\", \"phone\": \"0501234567\"}", "empty reason")]
    public async Task VerifyAsync_CleanSuccess_IsVerified(string body, string name)
    {
        Server.Answer(Endpoints.NinetyNineDigital(), Reply.Json(200, body));
        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), "123456"));
        Assert.That(result.IsVerified, Is.True, $"{name}: {result}");
    }

    [Test]
    public async Task VerifyAsync_Status1WithReason6_FailsClosedAsUnexpected()
    {
        Server.Answer(Endpoints.NinetyNineDigital(), Reply.Json(200, "{\"status\": 1, \"reason\": 6}"));
        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), "123456"));
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.Failed));
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.UnexpectedResponse));
            Assert.That(result.Error.Message, Does.Contain("reason"));
        });
    }

    public static readonly string[] OddShapes = ["\"\"", "\"now\"", "{}", "[]", "true", "{\"a\": 1}", "-1"];

    [TestCaseSource(nameof(OddShapes))]
    public async Task SendAsync_OddTimestamp_StillSent(string odd) =>
        await AssertSentAsync($"{{\"status\": \"OK\", \"unique\": \"63433453\", \"timestamp\": {odd}, \"from\": \"Contoso\", \"reason\": 1}}", expiresFromClock: true);

    [TestCaseSource(nameof(OddShapes))]
    public async Task SendAsync_OddFrom_StillSent(string odd) =>
        await AssertSentAsync($"{{\"status\": \"OK\", \"unique\": \"63433453\", \"timestamp\": 1600115719, \"from\": {odd}, \"reason\": 1}}", expiresFromClock: false);

    [TestCaseSource(nameof(OddShapes))]
    public async Task SendAsync_OddReason_StillSent(string odd) =>
        await AssertSentAsync($"{{\"status\": \"OK\", \"unique\": \"63433453\", \"timestamp\": 1600115719, \"from\": \"Contoso\", \"reason\": {odd}}}", expiresFromClock: false);

    private async Task AssertSentAsync(string body, bool expiresFromClock)
    {
        Server.Answer(Endpoints.NinetyNineDigital(), Reply.Json(200, body));
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));
        Assert.Multiple(() =>
        {
            Assert.That(result.IsSuccess, Is.True, $"{body}: {result}");
            Assert.That(result.Challenge!.Id, Is.EqualTo("63433453"));
            var sentAt = expiresFromClock && !body.Contains("\"timestamp\": 1600115719", StringComparison.Ordinal)
                ? WireMockFixture.Start
                : DateTimeOffset.FromUnixTimeSeconds(1600115719);
            Assert.That(result.Challenge.ExpiresAt, Is.EqualTo(sentAt + TimeSpan.FromMinutes(10)));
        });
    }

    [TestCase("5")]
    [TestCase("42")]
    [TestCase("\"unknown\"")]
    [TestCase("{}")]
    public async Task SendAsync_FailWithAmbiguousReason_MayHaveBeenAcceptedAndNoFailover(string reason)
    {
        Server.Answer(Endpoints.NinetyNineDigital(), Reply.Json(200, $"{{\"status\": \"FAIL\", \"reason\": {reason}}}"));
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.ProviderError));
            Assert.That(result.Error.MayHaveBeenAccepted, Is.True, "nothing says the SMS did not go");
            Assert.That(OtpClients.Failover.FailoverOtpClient.ShouldFailOver(result.Error), Is.False);
        });
    }

    [TestCase("+39 348 123 4567", "IT")]
    [TestCase("+1 650 253 0000", "US")]
    [TestCase("+44 7700 900123", "GB")]
    public async Task SendAsync_NumberOfAnotherCountry_IsNotSupportedNamingTheCountry(string phone, string region)
    {
        var result = await CreateClient().SendAsync(new OtpSendRequest(phone));
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.NotSupported));
            Assert.That(result.Error.Message, Does.Contain("from " + region));
            Assert.That(OtpClients.Failover.FailoverOtpClient.ShouldFailOver(result.Error), Is.True);
            Assert.That(Server.RequestCount(), Is.Zero);
        });
    }

    [Test]
    public async Task SendAsync_ProviderTextWithApiKeyAndNumber_IsRedacted()
    {
        Server.Answer(Endpoints.NinetyNineDigital(), Reply.Json(500, $"{{\"status\": \"FAIL\", \"reason\": \"{ApiKey} 050-123-4567\"}}"));
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));
        var text = result + " " + result.Error;
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Not.Contain(ApiKey));
            Assert.That(text, Does.Not.Contain("123-4567"));
        });
    }
}
