using OtpClients.Amm;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Amm;

public sealed partial class AmmOtpClientTests
{
    /// <summary>Every documented errorMsg, with the mapping an app relies on. Kept apart from the implementation's table on purpose.</summary>
    public static IEnumerable<TestCaseData> ErrorMsgRows()
    {
        static TestCaseData Row(string errorMsg, OtpErrorCode code, bool transient) => new TestCaseData(errorMsg, code, transient).SetArgDisplayNames(errorMsg);
        yield return Row("ANTISPAM", OtpErrorCode.RateLimited, true);
        yield return Row("BAD_TO", OtpErrorCode.InvalidPhoneNumber, false);
        yield return Row("BAD_TEXT_PLACEHOLDER", OtpErrorCode.InvalidMessage, false);
        yield return Row("BAD_TEXT", OtpErrorCode.InvalidMessage, false);
        yield return Row("BAD_FROM", OtpErrorCode.InvalidSender, false);
        yield return Row("BAD_ENCODING", OtpErrorCode.InvalidRequest, false);
        yield return Row("BAD_APP_ID", OtpErrorCode.InvalidRequest, false);
        yield return Row("BAD_COD_LEN", OtpErrorCode.InvalidRequest, false);
        yield return Row("BAD_RETRY", OtpErrorCode.InvalidRequest, false);
        yield return Row("BAD_TTL", OtpErrorCode.InvalidRequest, false);
        yield return Row("NO_CREDIT", OtpErrorCode.InsufficientCredit, false);
        yield return Row("GENERIC_ERROR", OtpErrorCode.ProviderError, true);
        yield return Row("VERIFY ID ERROR", OtpErrorCode.NotFound, false);
        yield return Row("BAD STATUS", OtpErrorCode.InvalidRequest, false);
        yield return Row("BAD_COMMAND", OtpErrorCode.InvalidRequest, false);
        yield return Row("NO_PARAMS", OtpErrorCode.InvalidRequest, false);
        yield return Row("BAD_CREDENTIALS", OtpErrorCode.Unauthorized, false);
        yield return Row("BAD_CREDIT", OtpErrorCode.InsufficientCredit, false);
    }

    [Test]
    public async Task SendAsync_MinimalRequest_PostsFormWithToAndTextOnly()
    {
        Server.Answer(Endpoints.AmmSend, Reply.Json(200, $"{{\"verify_id\": \"{VerifyId}\"}}"));

        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));

        var request = Server.SingleRequest();
        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo("POST"));
            Assert.That(request.Path, Is.EqualTo("/sms/v2/verify/send"));
            Assert.That(request.QueryString, Is.Empty);
            Assert.That(request.ContentType, Is.EqualTo("application/x-www-form-urlencoded"));
            Assert.That(request.FormFields(), Is.EqualTo(new Dictionary<string, string>
            {
                ["to"] = Msisdn,
                ["text"] = "Your verification code is ${verify_code}",
            }));
            Assert.That(result.IsSuccess, Is.True);
            Assert.That(result.Challenge, Is.EqualTo(new OtpChallenge("AMM", VerifyId, "+" + Msisdn) { ExpiresAt = Clock.GetUtcNow().AddSeconds(300), MaxAttempts = 3 }), "AMM's max_retry when not sent");
        });
        AssertAmmHeaders(request);
    }

    [TestCase("הקוד שלך הוא {code}", "UCS2", TestName = "SendAsync_HebrewTextWithEncodingUnset_SendsEncodingUcs2")]
    [TestCase("Your code – {code}", "UCS2", TestName = "SendAsync_EnDashTextWithEncodingUnset_SendsEncodingUcs2")]
    [TestCase("Il tuo codice è {code} [{code}]", null, TestName = "SendAsync_Gsm7TextWithEncodingUnset_SendsNoEncoding")]
    public async Task SendAsync_EncodingUnset_FollowsTheMeasureOfTheText(string template, string? expected)
    {
        // AMM sends 7BIT when no encoding is given, which garbles a text outside GSM-7: the SDK measures the text.
        Server.Answer(Endpoints.AmmSend, Reply.Json(200, $"{{\"verify_id\": \"{VerifyId}\"}}"));

        await CreateClient().SendAsync(new OtpSendRequest(Phone) { MessageTemplate = template });

        var fields = Server.SingleRequest().FormFields();
        Assert.That(fields.GetValueOrDefault("encoding"), Is.EqualTo(expected), string.Join(", ", fields));
    }

    [TestCase("+972 050-123-4567", "972501234567")]
    [TestCase("+39 348 123 4567", "393481234567")]
    [TestCase("+49 (0)171 1234567", "491711234567")]
    public async Task SendAsync_TrunkPrefixAfterCountryCode_IsDroppedOnTheWire(string typed, string msisdn)
    {
        Server.Answer(Endpoints.AmmSend, Reply.Json(200, $"{{\"verify_id\": \"{VerifyId}\"}}"));

        var result = await CreateClient().SendAsync(new OtpSendRequest(typed));

        var request = Server.SingleRequest();
        Assert.Multiple(() =>
        {
            Assert.That(request.FormFields(), Is.EqualTo(new Dictionary<string, string>
            {
                ["to"] = msisdn,
                ["text"] = "Your verification code is ${verify_code}",
            }));
            Assert.That(result.Challenge!.PhoneNumber, Is.EqualTo("+" + msisdn));
        });
        AssertAmmHeaders(request);
    }

    [Test]
    public async Task SendAsync_EverySetting_SendsEveryOptionalField()
    {
        Server.Answer(Endpoints.AmmSend, Reply.Json(200, $"{{\"verify_id\": \"{VerifyId}\"}}"));
        var client = CreateClient(o =>
        {
            o.Sender = "Contoso";
            o.AppId = "login-app";
            o.Encoding = AmmEncoding.Ucs2;
            o.MaxRetry = 5;
            o.Sandbox = true;
        });

        var result = await client.SendAsync(new OtpSendRequest(Phone)
        {
            MessageTemplate = "Codice \"&\" è {code}",
            CodeLength = 6,
            TimeToLive = TimeSpan.FromSeconds(120),
        });

        Assert.Multiple(() =>
        {
            Assert.That(Server.SingleRequest().FormFields(), Is.EqualTo(new Dictionary<string, string>
            {
                ["to"] = Msisdn,
                ["text"] = "Codice \"&\" è ${verify_code}",
                ["from"] = "Contoso",
                ["sandbox"] = "true",
                ["app_id"] = "login-app",
                ["encoding"] = "UCS2",
                ["code_len"] = "6",
                ["max_retry"] = "5",
                ["ttl"] = "120",
            }));
            Assert.That(result.Challenge!.ExpiresAt, Is.EqualTo(Clock.GetUtcNow().AddSeconds(120)));
        });
    }

    [TestCase(AmmEncoding.SevenBit, "7BIT")]
    [TestCase(AmmEncoding.Ucs2, "UCS2")]
    [TestCase(AmmEncoding.Auto, "AUTO")]
    public async Task SendAsync_Encoding_SendsDocumentedValue(AmmEncoding encoding, string wire)
    {
        Server.Answer(Endpoints.AmmSend, Reply.Json(200, $"{{\"verify_id\": \"{VerifyId}\"}}"));
        await CreateClient(o => o.Encoding = encoding).SendAsync(new OtpSendRequest(Phone));
        Assert.That(Server.SingleRequest().FormFields()["encoding"], Is.EqualTo(wire));
    }

    [Test]
    public async Task SendAsync_OptionDefaults_AreUsedAndRequestOverridesThem()
    {
        Server.Answer(Endpoints.AmmSend, Reply.Json(200, $"{{\"verify_id\": \"{VerifyId}\"}}"));
        var client = CreateClient(o =>
        {
            o.Sender = "Default";
            o.MessageTemplate = "Default {code}";
            o.CodeLength = 5;
            o.TimeToLive = TimeSpan.FromMinutes(2);
        });

        await client.SendAsync(new OtpSendRequest(Phone) { Sender = "+393480000000", MessageTemplate = "Mine {code}", CodeLength = 4, TimeToLive = TimeSpan.FromSeconds(30) });

        var fields = Server.SingleRequest().FormFields();
        Assert.Multiple(() =>
        {
            Assert.That(fields["from"], Is.EqualTo("393480000000"), "a numeric sender is sent as digits");
            Assert.That(fields["text"], Is.EqualTo("Mine ${verify_code}"));
            Assert.That(fields["code_len"], Is.EqualTo("4"));
            Assert.That(fields["ttl"], Is.EqualTo("30"));
        });
    }

    [Test]
    public async Task SendAsync_DocumentedExample_ParsesVerifyId()
    {
        Server.Answer(Endpoints.AmmSend, Reply.Json(200, "{\n\"verify_id\": \"c6cf59524c65d9c65d134d1137a86336558d19ba\"\n}"));
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));
        Assert.That(result.Challenge!.Id, Is.EqualTo("c6cf59524c65d9c65d134d1137a86336558d19ba"));
    }

    [Test]
    public async Task SendAsync_NumericVerifyId_IsReadAsString()
    {
        Server.Answer(Endpoints.AmmSend, Reply.Json(200, "{\"verify_id\": 12345}"));
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));
        Assert.That(result.Challenge!.Id, Is.EqualTo("12345"));
    }

    public static IEnumerable<TestCaseData> InvalidSendRequests()
    {
        static TestCaseData Case(OtpSendRequest request, OtpErrorCode code, string fragment, string name) => new TestCaseData(request, code, fragment).SetArgDisplayNames(name);
        yield return Case(new OtpSendRequest("3481234567"), OtpErrorCode.InvalidPhoneNumber, "PhoneNumber", "no country code");
        yield return Case(new OtpSendRequest(""), OtpErrorCode.InvalidPhoneNumber, "PhoneNumber", "empty phone");
        yield return Case(new OtpSendRequest(new string('9', 10_000)), OtpErrorCode.InvalidPhoneNumber, "PhoneNumber", "10k phone");
        yield return Case(new OtpSendRequest("+39\u202E3481234567"), OtpErrorCode.InvalidPhoneNumber, "invisible", "bidi phone");
        yield return Case(new OtpSendRequest(Phone) { MessageTemplate = "no placeholder" }, OtpErrorCode.InvalidMessage, "MessageTemplate", "template without {code}");
        yield return Case(new OtpSendRequest(Phone) { MessageTemplate = "Code ${verify_code}" }, OtpErrorCode.InvalidMessage, "MessageTemplate", "native placeholder");
        yield return Case(new OtpSendRequest(Phone) { MessageTemplate = "  " }, OtpErrorCode.InvalidMessage, "MessageTemplate", "blank template");
        yield return Case(new OtpSendRequest(Phone) { Sender = "ContosoBank1" }, OtpErrorCode.InvalidSender, "11", "12-char sender");
        yield return Case(new OtpSendRequest(Phone) { Sender = "Contoso!" }, OtpErrorCode.InvalidSender, "Sender", "sender symbol");
        yield return Case(new OtpSendRequest(Phone) { Sender = "" }, OtpErrorCode.InvalidSender, "Sender", "empty sender");
        yield return Case(new OtpSendRequest(Phone) { Sender = "12345678901234567" }, OtpErrorCode.InvalidSender, "digits", "17-digit sender");
        yield return Case(new OtpSendRequest(Phone) { CodeLength = 3 }, OtpErrorCode.InvalidRequest, "CodeLength must be between 4 and 6", "code length 3");
        yield return Case(new OtpSendRequest(Phone) { CodeLength = 7 }, OtpErrorCode.InvalidRequest, "CodeLength must be between 4 and 6", "code length 7");
        yield return Case(new OtpSendRequest(Phone) { CodeLength = -1 }, OtpErrorCode.InvalidRequest, "CodeLength", "code length negative");
        yield return Case(new OtpSendRequest(Phone) { CodeLength = int.MaxValue }, OtpErrorCode.InvalidRequest, "CodeLength", "code length huge");
        yield return Case(new OtpSendRequest(Phone) { TimeToLive = TimeSpan.FromSeconds(9) }, OtpErrorCode.InvalidRequest, "at least 10 s", "ttl 9 s");
        yield return Case(new OtpSendRequest(Phone) { TimeToLive = TimeSpan.FromSeconds(10.5) }, OtpErrorCode.InvalidRequest, "whole seconds", "ttl 10.5 s");
        yield return Case(new OtpSendRequest(Phone) { TimeToLive = TimeSpan.FromSeconds(-30) }, OtpErrorCode.InvalidRequest, "TimeToLive", "ttl negative");
        yield return Case(new OtpSendRequest(Phone) { TimeToLive = TimeSpan.FromDays(100_000) }, OtpErrorCode.InvalidRequest, "TimeToLive", "ttl huge");
        yield return Case(new OtpSendRequest(Phone) { TimeToLive = TimeSpan.MaxValue }, OtpErrorCode.InvalidRequest, "TimeToLive", "ttl max");
    }

    [TestCaseSource(nameof(InvalidSendRequests))]
    public async Task SendAsync_InvalidRequest_FailsBeforeAnyHttpCall(OtpSendRequest request, OtpErrorCode code, string fragment)
    {
        var result = await CreateClient().SendAsync(request);

        Assert.Multiple(() =>
        {
            Assert.That(result.IsSuccess, Is.False);
            Assert.That(result.Error!.Code, Is.EqualTo(code));
            Assert.That(result.Error.Message, Does.Contain(fragment));
            Assert.That(result.Error.MayHaveBeenAccepted, Is.False);
            Assert.That(Server.RequestCount(), Is.Zero, "nothing may be sent");
        });
    }

    [Test]
    public void SendAsync_NullRequest_Throws() =>
        Assert.ThrowsAsync<ArgumentNullException>(() => CreateClient().SendAsync(null!));

    [TestCaseSource(nameof(ErrorMsgRows))]
    public async Task SendAsync_ErrorMsg_MapsToError(string errorMsg, OtpErrorCode code, bool transient)
    {
        Server.Answer(Endpoints.AmmSend, Reply.Json(400, ErrorBody(errorMsg)));

        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));

        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(code));
            Assert.That(result.Error.ProviderCode, Is.EqualTo(errorMsg));
            Assert.That(result.Error.HttpStatusCode, Is.EqualTo(400));
            Assert.That(result.Error.IsTransient, Is.EqualTo(transient));
            Assert.That(result.Error.MayHaveBeenAccepted, Is.EqualTo(errorMsg == "GENERIC_ERROR"));
            Assert.That(result.Error.Message, Does.Contain(errorMsg));
        });
    }

    [Test]
    public void ErrorMsgTable_EveryRowIsCoveredByATest()
    {
        var tested = ErrorMsgRows().Select(r => (string)r.Arguments[0]!).ToHashSet();
        Assert.That(AmmErrors.ByErrorMsg.Keys, Is.EquivalentTo(tested));
    }

    [TestCase(401, "", OtpErrorCode.Unauthorized, false, false)]
    [TestCase(401, "{\"errorMsg\":\"\",\"errorCode\":401}", OtpErrorCode.Unauthorized, false, false)]
    [TestCase(405, "", OtpErrorCode.ProviderError, false, false)]
    [TestCase(500, "", OtpErrorCode.ProviderError, true, true)]
    [TestCase(500, "<html><body>Internal Server Error</body></html>", OtpErrorCode.ProviderError, true, true)]
    [TestCase(400, "", OtpErrorCode.InvalidRequest, false, false)]
    [TestCase(400, "<?xml version=\"1.0\"?><error><errorMsg>BAD_TO</errorMsg></error>", OtpErrorCode.InvalidRequest, false, false)]
    [TestCase(400, "{\"errorMsg\":\"SOMETHING_NEW\",\"errorCode\":400}", OtpErrorCode.InvalidRequest, false, false)]
    [TestCase(429, "", OtpErrorCode.RateLimited, true, false)]
    [TestCase(503, "", OtpErrorCode.ProviderUnavailable, true, false)]
    [TestCase(502, "<html>Bad gateway</html>", OtpErrorCode.ProviderUnavailable, true, true)]
    [TestCase(302, "", OtpErrorCode.UnexpectedResponse, false, false)]
    public async Task SendAsync_HttpStatus_MapsToError(int status, string body, OtpErrorCode code, bool transient, bool mayHaveBeenAccepted)
    {
        Server.Answer(Endpoints.AmmSend, Reply.Text(status, body, body.StartsWith('{') ? "application/json" : "text/html"));

        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));

        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(code));
            Assert.That(result.Error.HttpStatusCode, Is.EqualTo(status));
            Assert.That(result.Error.IsTransient, Is.EqualTo(transient));
            Assert.That(result.Error.MayHaveBeenAccepted, Is.EqualTo(mayHaveBeenAccepted));
        });
    }

    [Test]
    public async Task SendAsync_UnknownErrorMsg_KeepsRawValue()
    {
        Server.Answer(Endpoints.AmmSend, Reply.Json(400, ErrorBody("SOMETHING_NEW")));
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));
        Assert.That(result.Error!.ProviderCode, Is.EqualTo("SOMETHING_NEW"));
    }

    [Test]
    public async Task SendAsync_RateLimitedWithRetryAfter_ReportsTheWait()
    {
        Server.Answer(Endpoints.AmmSend, Reply.Empty(429).WithHeader("Retry-After", "7"));
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));
        Assert.That(result.Error!.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(7)));
    }

    [TestCase("")]
    [TestCase("{}")]
    [TestCase("{\"verify_id\": \"\"}")]
    [TestCase("{\"verify_id\": null}")]
    [TestCase("{\"verify_id\": \"has space\"}")]
    [TestCase("<html>ok</html>")]
    [TestCase("[\"c6cf59524c65d9c65d134d1137a86336558d19ba\"]")]
    [TestCase("{\"verify_id\": {\"id\": 1}}")]
    public async Task SendAsync_UnreadableSuccess_IsUnexpectedAndMayHaveBeenAccepted(string body)
    {
        Server.Answer(Endpoints.AmmSend, Reply.Text(200, body, "application/json"));

        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));

        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.UnexpectedResponse));
            Assert.That(result.Error.MayHaveBeenAccepted, Is.True, "a 2xx to a send means a text may be on its way");
        });
    }

    [Test]
    public async Task SendAsync_ErrorMsgInSuccessBody_MapsToError()
    {
        Server.Answer(Endpoints.AmmSend, Reply.Json(200, ErrorBody("ANTISPAM", 400)));
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));
        Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.RateLimited));
    }

    [Test]
    public async Task SendAsync_AnswerLargerThanCap_IsUnexpectedWithoutReadingIt()
    {
        Server.Answer(Endpoints.AmmSend, Reply.Json(200, "{\"verify_id\": \"" + new string('a', 5000) + "\"}"));
        var result = await CreateClient(o => o.MaxResponseBytes = 1024).SendAsync(new OtpSendRequest(Phone));
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.UnexpectedResponse));
            Assert.That(result.Error.Message, Does.Contain("MaxResponseBytes"));
        });
    }

    [Test]
    public async Task SendAsync_ConnectionRefused_IsNetworkErrorNotAccepted()
    {
        var closed = await ClosedPortAsync();
        var client = new AmmOtpClient(Http, new AmmOptions { BaseAddress = closed, AuthKey = AuthKey, AuthSecret = AuthSecret });

        var result = await client.SendAsync(new OtpSendRequest(Phone));

        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.NetworkError));
            Assert.That(result.Error.IsTransient, Is.True);
            Assert.That(result.Error.MayHaveBeenAccepted, Is.False);
        });
    }

    [Test]
    public async Task SendAsync_ConnectionDroppedAfterRequest_IsNetworkErrorMayHaveBeenAccepted()
    {
        await using var dropping = new DroppedConnectionServer();
        var client = new AmmOtpClient(Http, new AmmOptions { BaseAddress = dropping.BaseAddress, AuthKey = AuthKey, AuthSecret = AuthSecret }, Clock);
        var result = await client.SendAsync(new OtpSendRequest(Phone));
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.NetworkError));
            Assert.That(result.Error.MayHaveBeenAccepted, Is.True);
            Assert.That(dropping.RequestCount, Is.EqualTo(1));
        });
    }

    [Test]
    public void SendAsync_CallerCancels_ThrowsOperationCanceled()
    {
        Server.Answer(Endpoints.AmmSend, Reply.Json(200, "{}").WithDelay(TimeSpan.FromSeconds(5)));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        Assert.That(async () => await CreateClient().SendAsync(new OtpSendRequest(Phone), cts.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task SendAsync_BodyStallsPastAttemptTimeout_IsTimeoutAndTheNextCallWorks()
    {
        await using var stalling = new StalledBodyServer($"{{\"verify_id\": \"{VerifyId}\"}}", TimeSpan.FromSeconds(3));
        var client = new AmmOtpClient(Http, new AmmOptions { BaseAddress = stalling.BaseAddress, AuthKey = AuthKey, AuthSecret = AuthSecret, AttemptTimeout = TimeSpan.FromMilliseconds(300) }, Clock);

        var stalled = await client.SendAsync(new OtpSendRequest(Phone));
        var next = await client.SendAsync(new OtpSendRequest(Phone));

        Assert.Multiple(() =>
        {
            Assert.That(stalled.Error!.Code, Is.EqualTo(OtpErrorCode.Timeout), "the body is read within the attempt timeout");
            Assert.That(stalled.Error.MayHaveBeenAccepted, Is.True, "the headers said 200: the text may be on its way");
            Assert.That(stalled.Error.HttpStatusCode, Is.EqualTo(200));
            Assert.That(next.IsSuccess, Is.True, "the read timeout that fired is not reused");
        });
    }

    [Test]
    public async Task SendAsync_CallerCancelsWhileBodyStalls_ThrowsOperationCanceled()
    {
        await using var stalling = new StalledBodyServer($"{{\"verify_id\": \"{VerifyId}\"}}", TimeSpan.FromSeconds(3));
        var client = new AmmOtpClient(Http, new AmmOptions { BaseAddress = stalling.BaseAddress, AuthKey = AuthKey, AuthSecret = AuthSecret }, Clock);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        Assert.That(async () => await client.SendAsync(new OtpSendRequest(Phone), cts.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    /// <summary>A loopback port that was free a moment ago and has no listener: connections are refused.</summary>
    internal static Task<Uri> ClosedPortAsync() =>
        Task.FromResult(new Uri($"http://127.0.0.1:{ProviderStandIn.FreeLoopbackPort()}/"));
}
