using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Ip1;

/// <summary>iP1 answers that try to talk a verify into "yes", odd non-essential fields, the one-line template rule.</summary>
public sealed partial class Ip1OtpClientTests
{
    private const string GoodAuthentication = "{\"ID\": 42, \"Phone\": \"46701234567\"}";

    /// <summary>Answers that are not a clean success for challenge 42 of +46701234567: none may verify.</summary>
    public static IEnumerable<TestCaseData> NotCleanSuccesses()
    {
        static TestCaseData Case(string body, string name, string contentType = "application/json") =>
            new TestCaseData(body, contentType).SetArgDisplayNames(name);

        // Valid: absent, null, wrong type, empty, other case, repeated.
        yield return Case("{\"Authentication\": " + GoodAuthentication + "}", "Valid absent");
        yield return Case("{\"Valid\": null, \"Authentication\": " + GoodAuthentication + "}", "Valid null");
        yield return Case("{\"Valid\": \"true\", \"Authentication\": " + GoodAuthentication + "}", "Valid as string");
        yield return Case("{\"Valid\": 1, \"Authentication\": " + GoodAuthentication + "}", "Valid as number");
        yield return Case("{\"Valid\": \"\", \"Authentication\": " + GoodAuthentication + "}", "Valid empty");
        yield return Case("{\"Valid\": {}, \"Authentication\": " + GoodAuthentication + "}", "Valid object");
        yield return Case("{\"valid\": true, \"Authentication\": " + GoodAuthentication + "}", "valid in lower case");
        yield return Case("{\"Valid\": false, \"valid\": true, \"Authentication\": " + GoodAuthentication + "}", "Valid false then valid true");
        yield return Case("{\"Valid\": false, \"Authentication\": " + GoodAuthentication + ", \"Valid\": true}", "Valid repeated, last true");

        // Authentication: absent, null, wrong type, empty, other case.
        yield return Case("{\"Valid\": true}", "Authentication absent");
        yield return Case("{\"Valid\": true, \"Authentication\": null}", "Authentication null");
        yield return Case("{\"Valid\": true, \"Authentication\": 42}", "Authentication number");
        yield return Case("{\"Valid\": true, \"Authentication\": []}", "Authentication array");
        yield return Case("{\"Valid\": true, \"Authentication\": {}}", "Authentication empty");
        yield return Case("{\"Valid\": true, \"authentication\": " + GoodAuthentication + "}", "authentication in lower case");

        // ID: absent, null, wrong type, empty, other id, inexact forms, repeated.
        yield return Case("{\"Valid\": true, \"Authentication\": {\"ID\": null}}", "ID null");
        yield return Case("{\"Valid\": true, \"Authentication\": {\"ID\": \"\"}}", "ID empty");
        yield return Case("{\"Valid\": true, \"Authentication\": {\"ID\": true}}", "ID boolean");
        yield return Case("{\"Valid\": true, \"Authentication\": {\"ID\": [42]}}", "ID array");
        yield return Case("{\"Valid\": true, \"Authentication\": {\"ID\": 41}}", "ID of another authentication");
        yield return Case("{\"Valid\": true, \"Authentication\": {\"id\": 42}}", "id in lower case");
        yield return Case("{\"Valid\": true, \"Authentication\": {\"ID\": 42.9}}", "ID 42.9");
        yield return Case("{\"Valid\": true, \"Authentication\": {\"ID\": \"42.4\"}}", "ID \"42.4\"");
        yield return Case("{\"Valid\": true, \"Authentication\": {\"ID\": \" 42 \"}}", "ID \" 42 \"");
        yield return Case("{\"Valid\": true, \"Authentication\": {\"ID\": \"42e0\"}}", "ID \"42e0\"");
        yield return Case("{\"Valid\": true, \"Authentication\": {\"ID\": 42e0}}", "ID 42e0");
        yield return Case("{\"Valid\": true, \"Authentication\": {\"ID\": \"042\"}}", "ID \"042\"");
        yield return Case("{\"Valid\": true, \"Authentication\": {\"ID\": \"+42\"}}", "ID \"+42\"");
        yield return Case("{\"Valid\": true, \"Authentication\": {\"ID\": \"\\u0034\\u0032\"}}", "ID escaped");
        yield return Case("{\"Valid\": true, \"Authentication\": {\"ID\": 41, \"ID\": 42}}", "ID repeated");

        // Contradictions: another phone, an error message beside the success.
        yield return Case("{\"Valid\": true, \"Authentication\": {\"ID\": 42, \"Phone\": \"46709999999\"}}", "Authentication for another phone");
        yield return Case("{\"Valid\": true, \"Authentication\": " + GoodAuthentication + ", \"Phone\": \"46709999999\"}", "answer for another phone");
        yield return Case("{\"Valid\": true, \"Authentication\": " + GoodAuthentication + ", \"Message\": \"Invalid code\"}", "error Message beside the success");
        yield return Case("{\"Valid\": true, \"Authentication\": " + GoodAuthentication + ", \"Phone\": {}}", "Phone object");

        // Not strict JSON, or not declared as JSON.
        yield return Case("{\"Valid\": true, \"Authentication\": " + GoodAuthentication + ", \"X\": 1, \"X\": 2}", "unread property repeated");
        yield return Case("{\"Valid\": true, \"Authentication\": " + GoodAuthentication + ", \"X\": {\"a\": 1, \"a\": 2}}", "property repeated deep in an unread object");
        yield return Case("{\"Valid\": true, /* ok */ \"Authentication\": " + GoodAuthentication + "}", "comment");
        yield return Case("{\"Valid\": true, \"Authentication\": " + GoodAuthentication + ",}", "trailing comma");
        yield return Case("{\"Valid\": true, \"Authentication\": " + GoodAuthentication + "}", "text/html", "text/html");
        yield return Case("{\"Valid\": true, \"Authentication\": " + GoodAuthentication + "}", "text/plain", "text/plain");
        yield return Case("{\"Valid\": true, \"Authentication\": " + GoodAuthentication + "} {\"Valid\": true}", "two JSON values");
    }

    [TestCaseSource(nameof(NotCleanSuccesses))]
    public async Task VerifyAsync_NotACleanSuccess_IsNeverVerified(string body, string contentType)
    {
        Server.Answer(Endpoints.Ip1Validate, Reply.Text(200, body, contentType));
        Server.Answer(Endpoints.Ip1Get(42), Reply.Json(200, Authentication(42)));

        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge("42"), "AB12C"));

        Assert.Multiple(() =>
        {
            Assert.That(result.IsVerified, Is.False, result.ToString());
            Assert.That(result.Status, Is.AnyOf(OtpVerificationStatus.Failed, OtpVerificationStatus.InvalidCode), result.ToString());
            if (result.Status == OtpVerificationStatus.Failed)
            {
                Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.UnexpectedResponse), result.ToString());
            }
        });
    }

    [Test]
    public async Task VerifyAsync_CleanSuccessWithMatchingPhones_IsVerified()
    {
        Server.Answer(Endpoints.Ip1Validate, Reply.Json(200, "{\"Valid\": true, \"Authentication\": " + GoodAuthentication + ", \"Phone\": \"46701234567\", \"Code\": \"AB12C\"}"));
        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge("42"), "AB12C"));
        Assert.That(result.IsVerified, Is.True, result.ToString());
    }

    [Test]
    public async Task VerifyAsync_ValidContradictedByAnotherPhone_FailsClosedMayHaveBeenAccepted()
    {
        Server.Answer(Endpoints.Ip1Validate, Reply.Json(200, "{\"Valid\": true, \"Authentication\": {\"ID\": 42, \"Phone\": \"46709999999\"}}"));
        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge("42"), "AB12C"));
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.Failed));
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.UnexpectedResponse));
            Assert.That(result.Error.MayHaveBeenAccepted, Is.True, "iP1 may have consumed the code");
            Assert.That(result.Error.Message, Does.Contain("another phone number"));
        });
    }

    [TestCase("{\"ID\": 42.9}", "42.9")]
    [TestCase("{\"ID\": \"42.4\"}", "\"42.4\"")]
    [TestCase("{\"ID\": \" 42 \"}", "padded")]
    [TestCase("{\"ID\": \"42e0\"}", "exponent")]
    [TestCase("{\"id\": 42}", "lower case")]
    [TestCase("{\"ID\": 41, \"ID\": 42}", "repeated")]
    public async Task SendAsync_InexactAuthenticationId_IsUnexpectedMayHaveBeenAccepted(string body, string name)
    {
        Server.Answer(Endpoints.Ip1Create, Reply.Json(200, body));
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));
        Assert.Multiple(() =>
        {
            Assert.That(result.IsSuccess, Is.False, name);
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.UnexpectedResponse), name);
            Assert.That(result.Error.MayHaveBeenAccepted, Is.True, "a 2xx to a send may mean the SMS went out: do not send again");
        });
    }

    [TestCase("\"42\"", 42L)]
    [TestCase("42", 42L)]
    [TestCase("0", 0L)]
    public async Task SendAsync_CanonicalAuthenticationId_IsRead(string id, long expected)
    {
        Server.Answer(Endpoints.Ip1Create, Reply.Json(200, $"{{\"ID\": {id}}}"));
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));
        Assert.That(result.Challenge!.Id, Is.EqualTo(expected.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>Odd shapes of a non-essential field: never turn a sent SMS or a read into a failure.</summary>
    public static readonly string[] OddShapes = ["\"\"", "\"soon\"", "{}", "[]", "true", "{\"a\": [1, 2]}", "-1e999"];

    [TestCaseSource(nameof(OddShapes))]
    public async Task SendAsync_OddExpires_StillSentWithExpiryFromTheRequest(string odd)
    {
        Server.Answer(Endpoints.Ip1Create, Reply.Json(200, $"{{\"ID\": 42, \"Expires\": {odd}, \"Created\": {odd}, \"HasExpired\": {odd}, \"IsUsed\": {odd}, \"Used\": {odd}, \"Phone\": {odd}}}"));
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone) { TimeToLive = TimeSpan.FromMinutes(5) });
        Assert.Multiple(() =>
        {
            Assert.That(result.IsSuccess, Is.True, result.ToString());
            Assert.That(result.Challenge!.Id, Is.EqualTo("42"));
            Assert.That(result.Challenge.ExpiresAt, Is.EqualTo(Start + TimeSpan.FromMinutes(5)));
        });
    }

    [TestCase("Created")]
    [TestCase("Expires")]
    [TestCase("Used")]
    [TestCase("HasExpired")]
    [TestCase("IsUsed")]
    [TestCase("Phone")]
    public async Task GetAuthenticationAsync_OddNonEssentialField_ReadsAsAbsent(string field)
    {
        foreach (var odd in OddShapes)
        {
            Server.Answer(Endpoints.Ip1Get(42), Reply.Json(200, $"{{\"ID\": 42, \"{field}\": {odd}}}"));
            var result = await CreateClient().GetAuthenticationAsync(42);
            Assert.Multiple(() =>
            {
                Assert.That(result.IsSuccess, Is.True, $"{field}: {odd}");
                Assert.That(result.Value!.Id, Is.EqualTo(42));
            });
        }
    }

    [TestCase("ConcurrentLimit")]
    [TestCase("Length")]
    [TestCase("ExpirationTime")]
    [TestCase("NumericOnly")]
    [TestCase("From")]
    [TestCase("MessageFormat")]
    public async Task GetSettingsAsync_OddField_ReadsAsUnset(string field)
    {
        foreach (var odd in new[] { "{}", "[]", "\"maybe\"", "{\"x\": 1}" })
        {
            var other = field == "Length" ? "ConcurrentLimit" : "Length";
            Server.Answer(Endpoints.Ip1GetSettings, Reply.Json(200, $"{{\"{other}\": 5, \"{field}\": {odd}}}"));
            var result = await CreateClient().GetSettingsAsync();
            Assert.That(result.IsSuccess, Is.True, $"{field}: {odd}");
        }
    }

    [TestCase("\"true\"", true)]
    [TestCase("\"False\"", false)]
    [TestCase("\" TRUE \"", true)]
    [TestCase("true", true)]
    [TestCase("\"yes\"", null)]
    [TestCase("1", null)]
    [TestCase("{}", null)]
    [TestCase("[]", null)]
    public async Task GetSettingsAsync_NumericOnlyWrittenAsString_IsRead(string value, bool? expected)
    {
        Server.Answer(Endpoints.Ip1GetSettings, Reply.Json(200, $"{{\"NumericOnly\": {value}}}"));
        var result = await CreateClient().GetSettingsAsync();
        Assert.That(result.Value!.NumericOnly, Is.EqualTo(expected));
    }

    [TestCase("Your code:\n{code}")]
    [TestCase("Your code: {code}\r\nBye")]
    [TestCase("Your code: {code}\r")]
    [TestCase("Code\u2028{code}")]
    public async Task SendAsync_TemplateWithLineBreak_IsInvalidMessageBeforeHttp(string template)
    {
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone) { MessageTemplate = template });
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.InvalidMessage));
            Assert.That(result.Error.Message, Does.Contain("one-line").And.Contain("MessageTemplate"));
            Assert.That(Server.RequestCount(), Is.Zero);
        });
    }

    [Test]
    public async Task UpdateSettingsAsync_TemplateWithLineBreak_IsInvalidMessageBeforeHttp()
    {
        var result = await CreateClient().UpdateSettingsAsync(new OtpClients.Ip1.Ip1Settings { MessageTemplate = "Code:\n{code}" });
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.InvalidMessage));
            Assert.That(result.Error.Message, Does.Contain("one-line"));
            Assert.That(Server.RequestCount(), Is.Zero);
        });
    }

    [Test]
    public void Constructor_DefaultTemplateWithLineBreak_NamesTheSetting()
    {
        var ex = Assert.Throws<ArgumentException>(() => CreateClient(o => o.MessageTemplate = "Code:\n{code}"));
        Assert.That(ex!.Message, Does.Contain("Ip1.MessageTemplate").And.Contain("one-line"));
    }

    [TestCase(429)]
    [TestCase(400)]
    [TestCase(403)]
    public async Task SendAsync_ConcurrentLimit_IsRateLimitedRecipientLimit(int status)
    {
        Server.Answer(Endpoints.Ip1Create, Reply.Json(status, "{\"Message\": \"ConcurrentLimit reached for this phone\"}"));
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.RateLimited));
            Assert.That(result.Error.IsRecipientLimit, Is.True);
            Assert.That(OtpClients.Failover.FailoverOtpClient.ShouldFailOver(result.Error), Is.False);
        });
    }

    [Test]
    public async Task VerifyAsync_ProviderTextWithSecrets_IsRedacted()
    {
        Server.Answer(Endpoints.Ip1Validate, Reply.Json(500, $"{{\"Message\": \"code AB12C for +46 70-123 45 67 / 46701234567 / 070-123 45 67 failed; key {ApiKey} user {AccountId}\"}}"));
        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge("42"), "AB12C"));
        var text = result.ToString() + result.Error;
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Message, Does.Contain("iP1 said"), "the provider's words are kept, cleaned");
            foreach (var secret in new[] { "AB12C", "46701234567", "70-123 45 67", "070-123", ApiKey, AccountId, "123 45 67" })
            {
                Assert.That(text, Does.Not.Contain(secret));
            }
        });
    }
}
