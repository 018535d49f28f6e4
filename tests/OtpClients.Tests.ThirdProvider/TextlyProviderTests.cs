using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using NUnit.Framework;
using OtpClients.Failover;
using OtpClients.Tests.ThirdProvider.Textly;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace OtpClients.Tests.ThirdProvider;

/// <summary>
/// A fourth provider, Textly, added through the public API alone, has the power of the built-in three: from code and
/// from configuration, keyed, in failover, with options validated at start, the SDK's resilience rules, and the SDK's
/// telemetry. Every exchange goes over real HTTP to a WireMock.Net stand-in.
/// </summary>
public sealed class TextlyProviderTests
{
    private const string Token = "textly-token-1";
    private const string ItalianPhone = "+39 348 123 4567";
    private const string IsraeliPhone = "+972 50 123 4567";

    private WireMockServer server = null!;
    private ServiceProvider? provider;

    [SetUp]
    public void Start() => server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });

    [TearDown]
    public async Task StopAsync()
    {
        server.Dispose();
        if (provider is not null)
        {
            await provider.DisposeAsync();
        }
    }

    private Uri BaseAddress => new(server.Urls[0] + "/");

    private void AnswerSend(int status, string? body = null) =>
        server.Given(Request.Create().WithPath("/v1/otp").UsingPost())
            .RespondWith(body is null ? Response.Create().WithStatusCode(status) : Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));

    private void AnswerCheck(string id, string status) =>
        server.Given(Request.Create().WithPath($"/v1/otp/{id}/check").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody($"{{\"status\":\"{status}\"}}"));

    private IServiceProvider Build(Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection();
        configure(services);
        provider = services.BuildServiceProvider();
        return provider;
    }

    private Action<TextlyOptions> Textly(Action<TextlyOptions>? more = null) => o =>
    {
        o.BaseAddress = BaseAddress;
        o.ApiToken = Token;
        o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
        more?.Invoke(o);
    };

    private IList<ILogEntry> Requests => [.. server.LogEntries];

    [Test]
    public async Task AddOtpClient_FromCode_SendsAndVerifiesOverTheWire()
    {
        AnswerSend(200, "{\"id\":\"tx-1\"}");
        AnswerCheck("tx-1", "approved");
        var sp = Build(s => s.AddOtpClient(otp => otp.UseTextly(Textly())));
        var client = sp.GetRequiredService<IOtpClient>();

        var sent = await client.SendAsync(new OtpSendRequest(ItalianPhone) { MessageTemplate = "Code {code}" });
        var verified = await client.VerifyAsync(new OtpVerifyRequest(sent.Challenge!, "123456"));

        var send = Requests[0].RequestMessage;
        var check = Requests[1].RequestMessage;
        Assert.Multiple(() =>
        {
            Assert.That(client.ProviderName, Is.EqualTo("Textly"));
            Assert.That(sent.Challenge, Is.EqualTo(new OtpChallenge("Textly", "tx-1", "+393481234567")));
            Assert.That(verified.IsVerified, Is.True);
            Assert.That(Requests, Has.Count.EqualTo(2));
            Assert.That(send.Method, Is.EqualTo("POST"));
            Assert.That(send.Path, Is.EqualTo("/v1/otp"));
            Assert.That(send.Headers!["Authorization"].Single(), Is.EqualTo("Bearer " + Token));
            Assert.That(send.Headers!["Content-Type"].Single(), Is.EqualTo("application/json; charset=utf-8"));
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(send.Body!), JsonNode.Parse("{\"to\":\"+393481234567\",\"template\":\"Code %CODE%\"}")), Is.True, send.Body);
            Assert.That(check.Path, Is.EqualTo("/v1/otp/tx-1/check"));
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(check.Body!), JsonNode.Parse("{\"code\":\"123456\"}")), Is.True, check.Body);
            Assert.That(sp.GetRequiredService<TextlyOtpClient>(), Is.Not.Null, "the provider's own type resolves, for its extra operations");
        });
    }

    [Test]
    public async Task AddOtpClient_FromConfiguration_FindsTheProviderByItsRegisteredNames()
    {
        AnswerSend(200, "{\"id\":\"tx-2\"}");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Otp:Provider"] = "textly.example",
            ["Otp:Textly:BaseAddress"] = BaseAddress.ToString(),
            ["Otp:Textly:ApiToken"] = Token,
        }).Build();
        var sp = Build(s => s.AddOtpProvider(TextlyOtpClientBuilderExtensions.Descriptor).AddOtpClient(configuration.GetSection("Otp")));

        var sent = await sp.GetRequiredService<IOtpClient>().SendAsync(new OtpSendRequest(ItalianPhone));

        Assert.Multiple(() =>
        {
            Assert.That(sent.Challenge?.Id, Is.EqualTo("tx-2"));
            Assert.That(Requests.Single().RequestMessage.Headers!["Authorization"].Single(), Is.EqualTo("Bearer " + Token));
        });
    }

    [Test]
    public void UseTextly_SectionWithAMisspeltKey_FailsNamingItsPathAndTheKeyMeant()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sms:Textly:ApiToken"] = Token,
            ["Sms:Textly:Regoin"] = "IL",
        }).Build();

        Assert.That(
            () => new ServiceCollection().AddOtpClient(otp => otp.UseTextly(configuration.GetSection("Sms:Textly"))),
            Throws.InvalidOperationException.With.Message.Contains("Sms:Textly:Regoin is not a setting (did you mean Sms:Textly:Region?)"));
    }

    [Test]
    public async Task AddOtpClient_Keyed_ResolvesTheProviderByKey()
    {
        AnswerSend(200, "{\"id\":\"tx-3\"}");
        var sp = Build(s => s.AddOtpClient("backup", otp => otp.UseTextly(Textly())));

        var sent = await sp.GetRequiredKeyedService<IOtpClient>("backup").SendAsync(new OtpSendRequest(ItalianPhone));

        Assert.Multiple(() =>
        {
            Assert.That(sent.Challenge?.Id, Is.EqualTo("tx-3"));
            Assert.That(sp.GetService<IOtpClient>(), Is.Null, "only the keyed client is registered");
            Assert.That(sp.GetRequiredKeyedService<TextlyOtpClient>("backup"), Is.Not.Null);
        });
    }

    [Test]
    public async Task UseFailover_NumberTextlyDoesNotServe_MovesToAmmAndVerifyGoesBackToAmm()
    {
        server.Given(Request.Create().WithPath("/sms/v2/verify/send").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("{\"verify_id\":\"amm-1\"}"));
        server.Given(Request.Create().WithPath("/sms/v2/verify/check").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("{\"verify_status\":\"VERIFIED\"}"));
        var sp = Build(s => s.AddOtpClient(otp =>
        {
            otp.UseTextly(Textly());
            otp.UseAmm(o =>
            {
                o.BaseAddress = BaseAddress;
                o.AuthKey = "k";
                o.AuthSecret = "s";
            });
            otp.UseFailover("Textly", "Amm");
        }));
        var client = sp.GetRequiredService<IOtpClient>();

        var sent = await client.SendAsync(new OtpSendRequest(IsraeliPhone));
        var verified = await client.VerifyAsync(new OtpVerifyRequest(sent.Challenge!, "1234"));

        Assert.Multiple(() =>
        {
            Assert.That(client, Is.TypeOf<FailoverOtpClient>());
            Assert.That(sent.Challenge?.ProviderName, Is.EqualTo(OtpProviderNames.Amm));
            Assert.That(verified.IsVerified, Is.True);
            Assert.That(Requests.Select(r => r.RequestMessage.Path), Is.EqualTo(new[] { "/sms/v2/verify/send", "/sms/v2/verify/check" }), "Textly made no HTTP call");
        });
    }

    [Test]
    public async Task UseFailover_FromConfiguration_TextlyUnavailable_MovesToAmm()
    {
        AnswerSend(503);
        server.Given(Request.Create().WithPath("/sms/v2/verify/send").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("{\"verify_id\":\"amm-2\"}"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Otp:Failover:0"] = "Textly",
            ["Otp:Failover:1"] = "AMM",
            ["Otp:Textly:BaseAddress"] = BaseAddress.ToString(),
            ["Otp:Textly:ApiToken"] = Token,
            ["Otp:Textly:MaxRetryAttempts"] = "1",
            ["Otp:Textly:RetryBaseDelay"] = "00:00:00.010",
            ["Otp:Amm:BaseAddress"] = BaseAddress.ToString(),
            ["Otp:Amm:AuthKey"] = "k",
            ["Otp:Amm:AuthSecret"] = "s",
        }).Build();
        var sp = Build(s => s.AddOtpProvider(TextlyOtpClientBuilderExtensions.Descriptor).AddOtpClient(configuration.GetSection("Otp")));

        var sent = await sp.GetRequiredService<IOtpClient>().SendAsync(new OtpSendRequest(ItalianPhone));

        Assert.Multiple(() =>
        {
            Assert.That((sent.Challenge?.ProviderName, sent.Challenge?.Id, sent.Challenge?.PhoneNumber), Is.EqualTo((OtpProviderNames.Amm, "amm-2", "+393481234567")));
            Assert.That(Requests.Count(r => r.RequestMessage.Path == "/v1/otp"), Is.EqualTo(2), "503 is retried by the SDK's resilience (MaxRetryAttempts 1), then failed over");
        });
    }

    [Test]
    public async Task VerifyAsync_ServerError_IsAnsweredOnceByTheSdkResilience()
    {
        server.Given(Request.Create().WithPath("/v1/otp/tx-9/check").UsingPost()).RespondWith(Response.Create().WithStatusCode(500));
        var sp = Build(s => s.AddOtpClient(otp => otp.UseTextly(Textly(o => o.MaxRetryAttempts = 3))));

        var result = await sp.GetRequiredService<IOtpClient>().VerifyAsync(new OtpVerifyRequest(new OtpChallenge("Textly", "tx-9", "+393481234567"), "123456"));

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.Failed));
            Assert.That(result.Error!.MayHaveBeenAccepted, Is.True);
            Assert.That(Requests, Has.Count.EqualTo(1), "a check is not read-only: never sent twice");
        });
    }

    [Test]
    public void AddOtpClient_MissingToken_FailsAtStartNamingTheSetting()
    {
        var sp = Build(s => s.AddOtpClient(otp => otp.UseTextly(o => o.BaseAddress = BaseAddress)));

        var exception = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());

        Assert.That(exception!.Message, Does.Contain("Textly.ApiToken is required."));
    }

    [Test]
    public void AddOtpClient_SectionWithoutToken_FailsAtStartNamingTheConfigurationPath()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sms:Textly:BaseAddress"] = BaseAddress.ToString(),
            ["Sms:Textly:Region"] = "ITA",
        }).Build();
        var sp = Build(s => s.AddOtpClient(otp => otp.UseTextly(configuration.GetSection("Sms:Textly"))));

        var exception = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());

        Assert.Multiple(() =>
        {
            Assert.That(exception!.Message, Does.Contain("Sms:Textly:ApiToken is required."));
            Assert.That(exception.Message, Does.Contain("Sms:Textly:Region must be a two-letter ISO region code."));
            Assert.That(exception.Message, Does.Not.Contain("Textly.ApiToken"));
        });
    }

    [Test]
    public async Task SendAsync_AddedProvider_RecordsTheSdkTelemetryWithoutThePhoneNumber()
    {
        AnswerSend(200, "{\"id\":\"tx-4\"}");
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "OtpClients",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var sends = new List<(long Value, Dictionary<string, object?> Tags)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "OtpClients" && instrument.Name == "otp.sends")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            lock (sends)
            {
                sends.Add((value, copy));
            }
        });
        meters.Start();
        var logs = new FakeLogCollector();
        var sp = Build(s =>
        {
            s.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
            s.AddOtpClient(otp => otp.UseTextly(Textly()));
        });

        var sent = await sp.GetRequiredService<IOtpClient>().SendAsync(new OtpSendRequest(ItalianPhone));

        var mine = sends.Where(m => Equals(m.Tags.GetValueOrDefault("otp.provider"), "Textly")).ToList();
        var activity = activities.SingleOrDefault(a => a.OperationName == "otp.send" && Equals(a.GetTagItem("otp.provider"), "Textly"));
        var lines = logs.GetSnapshot().Select(r => r.Message).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(sent.IsSuccess, Is.True);
            Assert.That(mine, Has.Count.EqualTo(1), "one otp.sends measurement tagged Textly");
            Assert.That(mine[0].Tags.GetValueOrDefault("otp.outcome"), Is.EqualTo("success"));
            Assert.That(activity, Is.Not.Null, "an otp.send activity tagged Textly");
            Assert.That(lines, Has.Some.Contains("Textly").And.Contains("+39*******567"), "the operation's log line, phone masked");
            Assert.That(lines, Has.None.Contains("3481234567"), "never the full number");
        });
    }

    [Test]
    public void MessageTemplate_AddedProvidersNativePlaceholder_IsRefused()
    {
        Build(s => s.AddOtpProvider(TextlyOtpClientBuilderExtensions.Descriptor));

        var parsed = MessageTemplate.TryParse("Your code is %CODE%", out _, out var error);

        Assert.Multiple(() =>
        {
            Assert.That(parsed, Is.False);
            Assert.That(error, Does.Contain("%CODE%").And.Contain("{code}"));
        });
    }
}
