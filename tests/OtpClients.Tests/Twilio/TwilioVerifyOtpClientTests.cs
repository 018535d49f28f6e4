using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OtpClients.Tests.Infrastructure;
using OtpClients.Twilio;
using WireMock.RequestBuilders;

namespace OtpClients.Tests.Twilio;

/// <summary>
/// Twilio Verify through <c>AddOtpClient</c> (pipeline included) against a loopback stand-in: the exact wire request of
/// each operation (method, path, form fields, Basic auth) and the result each documented answer maps to.
/// </summary>
public sealed class TwilioVerifyOtpClientTests : WireMockFixture
{
    private const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    private const string AuthToken = "twilio-auth-token";
    private const string ServiceSid = "VA0123456789abcdef0123456789abcdef";
    private const string Sid = "VEfedcba9876543210fedcba9876543210";
    private const string Phone = "+393481234567";

    private static IRequestBuilder SendPath => Request.Create().WithPath($"/v2/Services/{ServiceSid}/Verifications").UsingPost();

    private static IRequestBuilder CheckPath => Request.Create().WithPath($"/v2/Services/{ServiceSid}/VerificationCheck").UsingPost();

    private static IRequestBuilder CancelPath => Request.Create().WithPath($"/v2/Services/{ServiceSid}/Verifications/{Sid}").UsingPost();

    private static string Verification(string status = "pending", bool valid = false, string sid = Sid, string to = Phone) =>
        $$"""{"sid": "{{sid}}", "service_sid": "{{ServiceSid}}", "account_sid": "{{AccountSid}}", "to": "{{to}}", "channel": "sms", "status": "{{status}}", "valid": {{(valid ? "true" : "false")}}, "date_created": "2026-11-22T10:00:00Z", "date_updated": "2026-11-22T10:00:00Z"}""";

    private static string TwilioError(int code, int status) =>
        $$"""{"code": {{code}}, "message": "m", "more_info": "https://www.twilio.com/docs/errors/{{code}}", "status": {{status}}}""";

    private (IOtpClient Client, ServiceProvider Provider) Build(Action<TwilioVerifyOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddOtpClient(otp => otp.UseTwilioVerify(o =>
        {
            o.BaseAddress = Server.BaseAddress();
            o.AccountSid = AccountSid;
            o.AuthToken = AuthToken;
            o.ServiceSid = ServiceSid;
            o.MaxRetryAttempts = 0;
            configure?.Invoke(o);
        }));
        var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<IOtpClient>(), provider);
    }

    private static OtpChallenge Challenge => new(TwilioVerifyOtpClient.Name, Sid, Phone);

    [Test]
    public async Task SendAsync_Pending_PostsFormWithToAndChannelWithBasicAuthAndReturnsTheSid()
    {
        Server.Answer(SendPath, Reply.Json(201, Verification()));
        var (client, provider) = Build(o => o.Locale = "it");
        await using var _ = provider;

        var result = await client.SendAsync(new OtpSendRequest("+39 348 123 4567"));

        var request = Server.SingleRequest();
        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo("POST"));
            Assert.That(request.Path, Is.EqualTo($"/v2/Services/{ServiceSid}/Verifications"));
            Assert.That(request.Header("Content-Type"), Does.StartWith("application/x-www-form-urlencoded"));
            Assert.That(request.Header("Authorization"), Is.EqualTo("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(AccountSid + ":" + AuthToken))));
            Assert.That(request.Form, Is.EqualTo(new[] { KeyValuePair.Create("To", Phone), KeyValuePair.Create("Channel", "sms"), KeyValuePair.Create("Locale", "it") }));
            Assert.That(result.Challenge, Is.EqualTo(new OtpChallenge("Twilio", Sid, Phone) { ExpiresAt = Start.AddMinutes(10), MaxAttempts = 5 }));
        });
    }

    [TestCase(OtpChannel.Voice, "sms", "call")]
    [TestCase(OtpChannel.WhatsApp, "sms", "whatsapp")]
    [TestCase(OtpChannel.Sms, "sms", "sms")]
    [TestCase(OtpChannel.Sms, "whatsapp", "whatsapp")]
    [TestCase(OtpChannel.Voice, "whatsapp", "call")]
    public async Task SendAsync_Channel_IsTwilioChannelOnTheWire(OtpChannel channel, string registrationDefault, string onTheWire)
    {
        // A request that names Voice or WhatsApp gets it; an SMS request (the default) gets the registration's Channel.
        Server.Answer(SendPath, Reply.Json(201, Verification()));
        var (client, provider) = Build(o => o.Channel = registrationDefault);
        await using var _ = provider;

        var result = await client.SendAsync(new OtpSendRequest(Phone) { Channel = channel });

        var request = Server.SingleRequest();
        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo("POST"));
            Assert.That(request.Path, Is.EqualTo($"/v2/Services/{ServiceSid}/Verifications"));
            Assert.That(request.Header("Content-Type"), Does.StartWith("application/x-www-form-urlencoded"));
            Assert.That(request.Header("Authorization"), Does.StartWith("Basic "));
            Assert.That(request.Form, Is.EqualTo(new[] { KeyValuePair.Create("To", Phone), KeyValuePair.Create("Channel", onTheWire) }));
            Assert.That(result.Challenge?.Id, Is.EqualTo(Sid), result.ToString());
        });
    }

    [TestCase("he-IL", "he")]
    [TestCase("pt-BR", "pt-BR")]
    [TestCase("pt-PT", "pt")]
    [TestCase("en-GB", "en-GB")]
    [TestCase("en-US", "en")]
    [TestCase("xh-ZA", null)]
    public async Task SendAsync_RequestCulture_IsTwilioLocaleWalkingUpParents(string culture, string? locale)
    {
        Server.Answer(SendPath, Reply.Json(201, Verification()));
        var (client, provider) = Build(o => o.AppHash = "FA+9qCX9VSu");
        await using var _ = provider;

        await client.SendAsync(new OtpSendRequest(Phone) { Culture = System.Globalization.CultureInfo.GetCultureInfo(culture) });

        var form = Server.SingleRequest().Form;
        Assert.Multiple(() =>
        {
            Assert.That(form.Where(f => f.Key == "Locale").Select(f => f.Value).SingleOrDefault(), Is.EqualTo(locale), "a culture Twilio does not speak sends no Locale");
            Assert.That(form, Does.Contain(KeyValuePair.Create("AppHash", "FA+9qCX9VSu")));
        });
    }

    [Test]
    public async Task SendAsync_ApiKey_AuthenticatesWithTheKeyAndItsSecret()
    {
        Server.Answer(SendPath, Reply.Json(201, Verification()));
        var (client, provider) = Build(o =>
        {
            o.AuthToken = null;
            o.ApiKeySid = "SK0123456789abcdef0123456789abcdef";
            o.ApiKeySecret = "key-secret";
        });
        await using var _ = provider;

        await client.SendAsync(new OtpSendRequest(Phone));

        Assert.That(Server.SingleRequest().Header("Authorization"), Is.EqualTo("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("SK0123456789abcdef0123456789abcdef:key-secret"))));
    }

    [TestCase(20003, 401, OtpErrorCode.Unauthorized, false, false)]
    [TestCase(20429, 429, OtpErrorCode.RateLimited, true, false)]
    [TestCase(60200, 400, OtpErrorCode.InvalidRequest, false, false)]
    [TestCase(60203, 429, OtpErrorCode.RateLimited, false, true)]
    [TestCase(60205, 400, OtpErrorCode.InvalidPhoneNumber, false, false)]
    [TestCase(60212, 429, OtpErrorCode.RateLimited, false, true)]
    [TestCase(60223, 400, OtpErrorCode.NotSupported, false, false)]
    [TestCase(60238, 403, OtpErrorCode.NotSupported, false, false)]
    [TestCase(60410, 403, OtpErrorCode.Blocked, false, false)]
    [TestCase(60605, 400, OtpErrorCode.NotSupported, false, false)]
    public async Task SendAsync_TwilioErrorCode_MapsByCode(int code, int status, OtpErrorCode expected, bool transient, bool recipientLimit)
    {
        Server.Answer(SendPath, Reply.Json(status, TwilioError(code, status)));
        var (client, provider) = Build();
        await using var _ = provider;

        var result = await client.SendAsync(new OtpSendRequest(Phone));

        Assert.Multiple(() =>
        {
            Assert.That(result.Error?.Code, Is.EqualTo(expected), result.ToString());
            Assert.That(result.Error?.ProviderCode, Is.EqualTo(code.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(result.Error?.IsTransient, Is.EqualTo(transient));
            Assert.That(result.Error?.IsRecipientLimit, Is.EqualTo(recipientLimit));
            Assert.That(result.Error?.MayHaveBeenAccepted, Is.False);
        });
    }

    [Test]
    public async Task SendAsync_PerRecipientLimitOn429_IsNotRetried()
    {
        Server.Answer(SendPath, Reply.Json(429, TwilioError(60203, 429)));
        var (client, provider) = Build(o => o.MaxRetryAttempts = 2);
        await using var _ = provider;

        var result = await client.SendAsync(new OtpSendRequest(Phone));

        Assert.Multiple(() =>
        {
            Assert.That(result.Error?.IsRecipientLimit, Is.True);
            Assert.That(Server.RequestCount(), Is.EqualTo(1), "a per-recipient limit is never retried");
        });
    }

    [TestCase("MessageTemplate")]
    [TestCase("CodeLength")]
    [TestCase("TimeToLive")]
    [TestCase("Sender")]
    public async Task SendAsync_SettingOwnedByTheVerifyService_IsNotSupportedWithoutHttp(string setting)
    {
        var (client, provider) = Build();
        await using var _ = provider;
        var request = setting switch
        {
            "MessageTemplate" => new OtpSendRequest(Phone) { MessageTemplate = "Code {code}" },
            "CodeLength" => new OtpSendRequest(Phone) { CodeLength = 6 },
            "TimeToLive" => new OtpSendRequest(Phone) { TimeToLive = TimeSpan.FromMinutes(5) },
            _ => new OtpSendRequest(Phone) { Sender = "Contoso" },
        };

        var result = await client.SendAsync(request);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error?.Code, Is.EqualTo(OtpErrorCode.NotSupported));
            Assert.That(result.Error?.Message, Does.Contain("Verify service"));
            Assert.That(Server.RequestCount(), Is.Zero);
        });
    }

    [TestCase("{\"sid\": \"VE1\", \"status\": \"pending\"}", TestName = "SendAsync_SidNotAVerificationSid_IsUnexpectedResponse")]
    [TestCase("{\"status\": \"pending\"}", TestName = "SendAsync_NoSid_IsUnexpectedResponse")]
    [TestCase("<html>ok</html>", TestName = "SendAsync_Html_IsUnexpectedResponse")]
    [TestCase("{\"sid\": \"VEfedcba9876543210fedcba9876543210\", \"sid\": \"VEfedcba9876543210fedcba9876543211\", \"status\": \"pending\"}", TestName = "SendAsync_SidTwice_IsUnexpectedResponse")]
    [TestCase("{\"sid\": \"VEfedcba9876543210fedcba9876543210\", \"status\": \"pending\", \"to\": \"+46701234567\"}", TestName = "SendAsync_AnotherNumber_IsUnexpectedResponse")]
    public async Task SendAsync_Garbage_IsUnexpectedResponseThatMayHaveBeenAccepted(string body)
    {
        Server.Answer(SendPath, Reply.Json(201, body));
        var (client, provider) = Build();
        await using var _ = provider;

        var result = await client.SendAsync(new OtpSendRequest(Phone));

        Assert.Multiple(() =>
        {
            Assert.That(result.Error?.Code, Is.EqualTo(OtpErrorCode.UnexpectedResponse), result.ToString());
            Assert.That(result.Error?.MayHaveBeenAccepted, Is.True);
        });
    }

    [Test]
    public async Task SendAsync_PendingDeclaredAsHtml_IsUnexpectedResponse()
    {
        // A proxy or captive portal answering 201 with a copy of a good body, but not as JSON: never a challenge, as
        // checks already insist.
        Server.Answer(SendPath, Reply.Text(201, Verification(), "text/html"));
        var (client, provider) = Build();
        await using var _ = provider;

        var result = await client.SendAsync(new OtpSendRequest(Phone));

        Assert.Multiple(() =>
        {
            Assert.That(result.IsSuccess, Is.False);
            Assert.That(result.Error?.Code, Is.EqualTo(OtpErrorCode.UnexpectedResponse), result.ToString());
            Assert.That(result.Error?.MayHaveBeenAccepted, Is.True);
        });
    }

    [TestCase(-20, TestName = "SendAsync_TwilioClockBehindTheApps_ExpiresTenMinutesAfterTheSendOnTheAppsClock")]
    [TestCase(+20, TestName = "SendAsync_TwilioClockAheadOfTheApps_ExpiresTenMinutesAfterTheSendOnTheAppsClock")]
    public async Task SendAsync_ClocksApart_ExpiryRunsOnTheAppsClock(int minutesOff)
    {
        // Twilio's date_created on a clock 20 minutes off the app's: a lifetime counted from it would have every code
        // expire on the app's side before any check (or live past Twilio's own expiry).
        var created = Start.AddMinutes(minutesOff).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        Server.Answer(SendPath, Reply.Json(201, Verification().Replace("2026-11-22T10:00:00Z", created, StringComparison.Ordinal)));
        var (client, provider) = Build();
        await using var _ = provider;

        var result = await client.SendAsync(new OtpSendRequest(Phone));

        Assert.That(result.Challenge?.ExpiresAt, Is.EqualTo(Start.AddMinutes(10)), result.ToString());
    }

    [Test]
    public async Task Sessions_TwilioClockTenMinutesBehind_CheckReachesTwilioAndVerifies()
    {
        // The review's finding: with Twilio's clock 10 minutes behind the app's, every check answered Expired with no
        // HTTP call. Now the session asks Twilio, which verifies.
        Server.Answer(SendPath, Reply.Json(201, Verification().Replace("2026-11-22T10:00:00Z", "2026-11-22T09:50:00Z", StringComparison.Ordinal)));
        Server.Answer(CheckPath, Reply.Json(200, Verification("approved", valid: true)));
        var (_, provider) = Build();
        await using var _ = provider;
        var sessions = provider.GetRequiredService<IOtpVerificationSessions>();

        var started = await sessions.StartAsync(new OtpSendRequest(Phone));
        Clock.Advance(TimeSpan.FromSeconds(30));
        var checkedCode = await sessions.CheckAsync(started.VerificationId!, "123456");

        Assert.Multiple(() =>
        {
            Assert.That(checkedCode.IsVerified, Is.True, checkedCode.ToString());
            Assert.That(Server.RequestCount(), Is.EqualTo(2), "the send and the check reached Twilio");
        });
    }

    [Test]
    public async Task SendAsync_FraudGuardBlockedTheNumberInAFailoverRoute_IsBlockedAndNoOtherProviderIsAsked()
    {
        // 60410: Twilio's Fraud Guard judged the number a pumping target. Failing over would text exactly that number
        // through the next provider: the answer is a refusal of the number, and AMM is never asked.
        Server.Answer(SendPath, Reply.Json(403, TwilioError(60410, 403)));
        Server.Answer(Request.Create().WithPath("/sms/v2/verify/send").UsingPost(), Reply.Json(200, "{\"status\": \"success\", \"verify_id\": 1}"));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddOtpClient(otp =>
        {
            otp.UseTwilioVerify(o =>
            {
                o.BaseAddress = Server.BaseAddress();
                o.AccountSid = AccountSid;
                o.AuthToken = AuthToken;
                o.ServiceSid = ServiceSid;
            });
            otp.UseAmm(o =>
            {
                o.BaseAddress = Server.BaseAddress();
                o.AuthKey = "amm-key";
                o.AuthSecret = "amm-secret";
            });
            otp.UseFailover("Twilio", "AMM");
        });
        await using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<IOtpClient>().SendAsync(new OtpSendRequest(Phone));

        Assert.Multiple(() =>
        {
            Assert.That(result.Error?.Code, Is.EqualTo(OtpErrorCode.Blocked), result.ToString());
            Assert.That(result.Error?.ProviderCode, Is.EqualTo("60410"));
            Assert.That(result.Error?.Message, Does.Contain("Fraud Guard").And.Contain("pumping"));
            Assert.That(Server.RequestCount(), Is.EqualTo(1), "only Twilio was asked");
            Assert.That(Server.SingleRequest().Path, Does.Contain("/Verifications"));
        });
    }

    [Test]
    public async Task VerifyAsync_Approved_PostsCodeAndVerificationSidAndVerifies()
    {
        Server.Answer(CheckPath, Reply.Json(200, Verification("approved", valid: true)));
        var (client, provider) = Build();
        await using var _ = provider;

        var result = await client.VerifyAsync(new OtpVerifyRequest(Challenge, "123 456"));

        var request = Server.SingleRequest();
        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo("POST"));
            Assert.That(request.Path, Is.EqualTo($"/v2/Services/{ServiceSid}/VerificationCheck"));
            Assert.That(request.Header("Content-Type"), Does.StartWith("application/x-www-form-urlencoded"));
            Assert.That(request.Header("Authorization"), Does.StartWith("Basic "));
            Assert.That(request.Form, Is.EqualTo(new[] { KeyValuePair.Create("Code", "123456"), KeyValuePair.Create("VerificationSid", Sid) }));
            Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.Verified));
            Assert.That(result.PhoneNumber, Is.EqualTo(Phone));
        });
    }

    [TestCase(200, "pending", false, OtpVerificationStatus.InvalidCode)]
    [TestCase(200, "canceled", false, OtpVerificationStatus.Cancelled)]
    [TestCase(200, "expired", false, OtpVerificationStatus.Expired)]
    [TestCase(200, "max_attempts_reached", false, OtpVerificationStatus.TooManyAttempts)]
    public async Task VerifyAsync_DocumentedStatus_Maps(int status, string twilioStatus, bool valid, OtpVerificationStatus expected)
    {
        Server.Answer(CheckPath, Reply.Json(status, Verification(twilioStatus, valid)));
        var (client, provider) = Build();
        await using var _ = provider;

        var result = await client.VerifyAsync(new OtpVerifyRequest(Challenge, "123456"));

        Assert.That(result.Status, Is.EqualTo(expected), result.ToString());
    }

    [TestCase(20404, 404, OtpVerificationStatus.NotFound)]
    [TestCase(60202, 429, OtpVerificationStatus.TooManyAttempts)]
    public async Task VerifyAsync_TwilioErrorCode_MapsToAStatus(int code, int status, OtpVerificationStatus expected)
    {
        Server.Answer(CheckPath, Reply.Json(status, TwilioError(code, status)));
        var (client, provider) = Build(o => o.MaxRetryAttempts = 2);
        await using var _ = provider;

        var result = await client.VerifyAsync(new OtpVerifyRequest(Challenge, "123456"));

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(expected), result.ToString());
            Assert.That(Server.RequestCount(), Is.EqualTo(1));
        });
    }

    /// <summary>A success must never be guessed: each of these is UnexpectedResponse, not Verified.</summary>
    [TestCase(201, "{\"sid\": \"VEfedcba9876543210fedcba9876543210\", \"status\": \"approved\", \"valid\": true}", TestName = "VerifyAsync_ApprovedWith201_IsNotVerified")]
    [TestCase(200, "{\"sid\": \"VEfedcba9876543210fedcba9876543210\", \"status\": \"approved\", \"valid\": false}", TestName = "VerifyAsync_ApprovedButNotValid_IsNotVerified")]
    [TestCase(200, "{\"sid\": \"VEfedcba9876543210fedcba9876543210\", \"status\": \"approved\"}", TestName = "VerifyAsync_ApprovedWithoutValid_IsNotVerified")]
    [TestCase(200, "{\"sid\": \"VEfedcba9876543210fedcba9876543210\", \"status\": \"Approved\", \"valid\": true}", TestName = "VerifyAsync_ApprovedInAnotherCase_IsNotVerified")]
    [TestCase(200, "{\"sid\": \"VE00000000000000000000000000000000\", \"status\": \"approved\", \"valid\": true}", TestName = "VerifyAsync_ApprovedForAnotherSid_IsNotVerified")]
    [TestCase(200, "{\"status\": \"approved\", \"valid\": true, \"to\": \"+46701234567\"}", TestName = "VerifyAsync_ApprovedForAnotherNumber_IsNotVerified")]
    [TestCase(200, "{\"sid\": \"VEfedcba9876543210fedcba9876543210\", \"status\": \"approved\", \"valid\": true, \"to\": \"+46701234567\"}", TestName = "VerifyAsync_ApprovedForOurSidButAnotherNumber_IsNotVerified")]
    [TestCase(200, "{\"sid\": \"VEfedcba9876543210fedcba9876543210\", \"status\": \"approved\", \"valid\": true, \"to\": \"not a number\"}", TestName = "VerifyAsync_ApprovedForOurSidWithAnUnreadableNumber_IsNotVerified")]
    [TestCase(200, "{\"sid\": \"VEfedcba9876543210fedcba9876543210\", \"status\": \"approved\", \"valid\": true, \"valid\": true}", TestName = "VerifyAsync_ValidTwice_IsNotVerified")]
    [TestCase(200, "{\"sid\": \"VEfedcba9876543210fedcba9876543210\", \"status\": \"approved\", \"valid\": \"true\"}", TestName = "VerifyAsync_ValidAsText_IsNotVerified")]
    [TestCase(200, "[{\"status\": \"approved\", \"valid\": true}]", TestName = "VerifyAsync_Array_IsNotVerified")]
    [TestCase(200, "approved", TestName = "VerifyAsync_PlainText_IsNotVerified")]
    public async Task VerifyAsync_SuccessThatIsNotExactlyTheDocumentedOne_IsUnexpectedResponse(int status, string body)
    {
        Server.Answer(CheckPath, Reply.Json(status, body));
        var (client, provider) = Build();
        await using var _ = provider;

        var result = await client.VerifyAsync(new OtpVerifyRequest(Challenge, "123456"));

        Assert.Multiple(() =>
        {
            Assert.That(result.IsVerified, Is.False);
            Assert.That(result.Error?.Code, Is.EqualTo(OtpErrorCode.UnexpectedResponse), result.ToString());
        });
    }

    [Test]
    public async Task VerifyAsync_ApprovedDeclaredAsText_IsNotVerified()
    {
        // A proxy or captive portal answering 200 with a copy of a good body, but not as JSON: never a verification.
        Server.Answer(CheckPath, Reply.Text(200, Verification("approved", valid: true), "text/html"));
        var (client, provider) = Build();
        await using var _ = provider;

        var result = await client.VerifyAsync(new OtpVerifyRequest(Challenge, "123456"));

        Assert.That(result.Error?.Code, Is.EqualTo(OtpErrorCode.UnexpectedResponse), result.ToString());
    }

    [Test]
    public async Task VerifyAsync_PropertyTwiceDeepInside_IsNotVerified()
    {
        Server.Answer(CheckPath, Reply.Json(200, Verification("approved", valid: true).TrimEnd('}') + ", \"lookup\": {\"a\": 1, \"a\": 2}}"));
        var (client, provider) = Build();
        await using var _ = provider;

        var result = await client.VerifyAsync(new OtpVerifyRequest(Challenge, "123456"));

        Assert.That(result.Error?.Code, Is.EqualTo(OtpErrorCode.UnexpectedResponse), result.ToString());
    }

    [Test]
    public async Task VerifyAsync_CodeInArabicIndicDigits_PostsItInAsciiDigits()
    {
        // The SDK's code reading (OtpCodes.TryNormalize), the same as every built-in provider's.
        Server.Answer(CheckPath, Reply.Json(200, Verification("approved", valid: true)));
        var (client, provider) = Build();
        await using var _ = provider;

        var result = await client.VerifyAsync(new OtpVerifyRequest(Challenge, "١٢٣-٤٥٦"));

        Assert.Multiple(() =>
        {
            Assert.That(Server.SingleRequest().Form, Does.Contain(KeyValuePair.Create("Code", "123456")));
            Assert.That(result.IsVerified, Is.True, result.ToString());
        });
    }

    [TestCase("12ab56", TestName = "VerifyAsync_CodeWithLetters_IsInvalidCodeWithoutHttp")]
    [TestCase("123", TestName = "VerifyAsync_CodeTooShortForTwilio_IsInvalidCodeWithoutHttp")]
    [TestCase("12345678901", TestName = "VerifyAsync_CodeTooLongForTwilio_IsInvalidCodeWithoutHttp")]
    [TestCase("12 34!", TestName = "VerifyAsync_CodeWithPunctuation_IsInvalidCodeWithoutHttp")]
    public async Task VerifyAsync_NotATwilioCode_IsInvalidCodeWithoutHttp(string code)
    {
        var (client, provider) = Build();
        await using var _ = provider;

        var result = await client.VerifyAsync(new OtpVerifyRequest(Challenge, code));

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.InvalidCode));
            Assert.That(Server.RequestCount(), Is.Zero);
        });
    }

    [TestCase("VE1", TestName = "VerifyAsync_IdNotAVerificationSid_IsInvalidRequestWithoutHttp")]
    [TestCase("../Verifications", TestName = "VerifyAsync_IdWithAPath_IsInvalidRequestWithoutHttp")]
    public async Task VerifyAsync_BadChallengeId_IsInvalidRequestWithoutHttp(string id)
    {
        var (client, provider) = Build();
        await using var _ = provider;

        var result = await client.VerifyAsync(new OtpVerifyRequest(Challenge with { Id = id }, "123456"));

        Assert.Multiple(() =>
        {
            Assert.That(result.Error?.Code, Is.EqualTo(OtpErrorCode.InvalidRequest));
            Assert.That(Server.RequestCount(), Is.Zero);
        });
    }

    [Test]
    public async Task CancelAsync_Canceled_PostsStatusCanceled()
    {
        Server.Answer(CancelPath, Reply.Json(200, Verification("canceled")));
        var (_, provider) = Build();
        await using var __ = provider;
        var client = provider.GetRequiredService<TwilioVerifyOtpClient>();

        var result = await client.CancelAsync(Challenge);

        var request = Server.SingleRequest();
        Assert.Multiple(() =>
        {
            Assert.That(request.Path, Is.EqualTo($"/v2/Services/{ServiceSid}/Verifications/{Sid}"));
            Assert.That(request.Form, Is.EqualTo(new[] { KeyValuePair.Create("Status", "canceled") }));
            Assert.That(result.IsSuccess, Is.True, result.ToString());
        });
    }

    [Test]
    public async Task GetAsync_Verification_GetsItWithBasicAuthAndReadsItsStatus()
    {
        Server.Answer(Request.Create().WithPath($"/v2/Services/{ServiceSid}/Verifications/{Sid}").UsingGet(), Reply.Json(200, Verification("approved", valid: true)));
        var (_, provider) = Build();
        await using var __ = provider;

        var result = await provider.GetRequiredService<TwilioVerifyOtpClient>().GetAsync(Challenge);

        var request = Server.SingleRequest();
        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo("GET"));
            Assert.That(request.Path, Is.EqualTo($"/v2/Services/{ServiceSid}/Verifications/{Sid}"));
            Assert.That(request.Header("Authorization"), Is.EqualTo("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(AccountSid + ":" + AuthToken))));
            Assert.That(result.Verification, Is.EqualTo(new TwilioVerification(Sid, "approved", true, Start)));
        });
    }

    [TestCase(404, "{\"code\": 20404, \"message\": \"m\", \"status\": 404}", OtpErrorCode.NotFound, TestName = "GetAsync_Gone_IsNotFound")]
    [TestCase(200, "{\"sid\": \"VE00000000000000000000000000000000\", \"status\": \"pending\", \"valid\": false}", OtpErrorCode.UnexpectedResponse, TestName = "GetAsync_AnotherSid_IsUnexpectedResponse")]
    [TestCase(200, "{\"sid\": \"VEfedcba9876543210fedcba9876543210\", \"status\": \"pending\"}", OtpErrorCode.UnexpectedResponse, TestName = "GetAsync_NoValid_IsUnexpectedResponse")]
    public async Task GetAsync_AnswerThatIsNotTheVerification_IsAnError(int status, string body, OtpErrorCode expected)
    {
        Server.Answer(Request.Create().WithPath($"/v2/Services/{ServiceSid}/Verifications/{Sid}").UsingGet(), Reply.Json(status, body));
        var (_, provider) = Build();
        await using var __ = provider;

        var result = await provider.GetRequiredService<TwilioVerifyOtpClient>().GetAsync(Challenge);

        Assert.That(result.Error?.Code, Is.EqualTo(expected), result.ToString());
    }

    /// <summary>An open circuit is an outage like any other provider's (ProviderUnavailable, nothing sent), never an exception.</summary>
    [Test]
    public async Task SendAsync_CircuitOpen_IsProviderUnavailableNotAnException()
    {
        Server.Answer(SendPath, Reply.Json(503, TwilioError(20500, 503)));
        var (client, provider) = Build(o =>
        {
            o.CircuitBreaker.MinimumThroughput = 2;
            o.CircuitBreaker.FailureRatio = 0.5;
        });
        await using var _ = provider;

        var results = new List<OtpSendResult>();
        for (var i = 0; i < 3; i++)
        {
            results.Add(await client.SendAsync(new OtpSendRequest(Phone)));
        }

        Assert.Multiple(() =>
        {
            Assert.That(results.Take(2).Select(r => r.Error?.Code), Is.All.EqualTo(OtpErrorCode.ProviderUnavailable));
            Assert.That(results[2].Error?.Code, Is.EqualTo(OtpErrorCode.ProviderUnavailable), results[2].ToString());
            Assert.That(results[2].Error?.Message, Does.Contain("circuit breaker is open"));
            Assert.That(results[2].Error?.MayHaveBeenAccepted, Is.False);
            Assert.That(Server.RequestCount(), Is.EqualTo(2), "the open circuit sent nothing");
        });
    }

    [Test]
    public void AddOtpClient_MissingServiceSid_FailsAtStartNamingTheSetting()
    {
        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => Build(o => o.ServiceSid = null));

        Assert.That(ex!.Message, Does.Contain("Twilio.ServiceSid"));
    }
}
