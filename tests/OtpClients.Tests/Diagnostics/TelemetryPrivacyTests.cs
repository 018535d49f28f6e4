using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OtpClients.Emulator;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Diagnostics;

/// <summary>
/// Per provider, through AddOtpClient against the emulator: send, a wrong and a right code, and a provider error, with every
/// log (Trace), activity (every source) and metric captured. Nothing may hold a code, a credential or a full phone number;
/// the expected activities, tags and counters must be there.
/// </summary>
public sealed class TelemetryPrivacyTests
{
    private OtpEmulator emulator = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => emulator = await OtpEmulator.StartAsync(new OtpEmulatorOptions
    {
        // Distinctive codes, so that a leak cannot hide among other digits.
        CodeGenerator = (provider, length, _) => provider switch
        {
            "AMM" => "8642",
            "iP1" => "Q7W3E",
            _ => "975318",
        },
    });

    [OneTimeTearDown]
    public async Task StopAsync() => await emulator.DisposeAsync();

    [SetUp]
    public void Reset() => emulator.Reset();

    public static IEnumerable<TestCaseData> Providers()
    {
        yield return new TestCaseData("AMM", "+39 348 123 4567", new[] { "393481234567", "3481234567" }).SetArgDisplayNames("AMM");
        yield return new TestCaseData("iP1", "+46 70 123 45 67", new[] { "46701234567", "701234567" }).SetArgDisplayNames("iP1");
        yield return new TestCaseData("99digital", "+972 50 123 4567", new[] { "972501234567", "0501234567", "501234567" }).SetArgDisplayNames("99digital");
    }

    [TestCaseSource(nameof(Providers))]
    public async Task FullFlowWithError_LeaksNothing_AndRecordsTelemetry(string providerName, string phone, string[] phoneForms)
    {
        using var capture = new TelemetryCapture();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(capture.LoggerProvider));
        services.AddOtpClient(otp =>
        {
            switch (providerName)
            {
                case "AMM":
                    otp.UseAmm(emulator.ConfigureAmm);
                    break;
                case "iP1":
                    otp.UseIp1(emulator.ConfigureIp1);
                    break;
                default:
                    otp.UseNinetyNineDigital(emulator.ConfigureNinetyNineDigital);
                    break;
            }
        });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IOtpClient>();

        var sent = await client.SendAsync(new OtpSendRequest(phone));
        var code = emulator.Outbox.LastCodeFor(phone)!;
        var wrong = await client.VerifyAsync(new OtpVerifyRequest(sent.Challenge!, "000000"[..code.Length]));
        var right = await client.VerifyAsync(new OtpVerifyRequest(sent.Challenge!, code));
        emulator.Faults.Add(new OtpEmulatorFault { Provider = providerName, StatusCode = 500, Body = "{\"errorMsg\":\"GENERIC_ERROR\"}" });
        var failed = await client.SendAsync(new OtpSendRequest(phone));

        Assert.Multiple(() =>
        {
            Assert.That(sent.IsSuccess, Is.True);
            Assert.That(wrong.IsVerified, Is.False);
            Assert.That(right.IsVerified, Is.True);
            Assert.That(failed.IsSuccess, Is.False);
        });

        var credentials = emulator.Credentials;
        var secrets = new List<string> { code, credentials.AmmAuthSecret, credentials.Ip1ApiKey, credentials.NinetyNineDigitalApiKey };
        secrets.AddRange(phoneForms);
        secrets.Add(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.AmmAuthKey}:{credentials.AmmAuthSecret}")));
        secrets.Add(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Ip1AccountId}:{credentials.Ip1ApiKey}")));
        var text = capture.AllText();
        Assert.That(text, Is.Not.Empty);
        foreach (var secret in secrets)
        {
            Assert.That(text, Does.Not.Contain(secret), $"captured telemetry leaks '{secret[..2]}…'");
        }

        foreach (var result in new object[] { sent, wrong, right, failed, sent.Challenge!, new OtpVerifyRequest(sent.Challenge!, code) })
        {
            var printed = result.ToString()!;
            Assert.That(secrets.Where(printed.Contains), Is.Empty, $"ToString of {result.GetType().Name} leaks");
        }

        Assert.That(capture.Activities.Count(a => a.Source.Name == "System.Net.Http" && a.GetTagItem("url.full") is not null), Is.GreaterThanOrEqualTo(4), "HttpClient's own spans are captured too, so their URLs were searched");
        var otpActivities = capture.Activities.Where(a => a.Source.Name == OtpDiagnostics.ActivitySourceName).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(otpActivities.Count(a => a.OperationName == "otp.send"), Is.EqualTo(2));
            Assert.That(otpActivities.Count(a => a.OperationName == "otp.verify"), Is.EqualTo(2));
            Assert.That(otpActivities.All(a => (string?)a.GetTagItem(OtpDiagnostics.ProviderTag) == providerName), Is.True);
            Assert.That(otpActivities.Where(a => a.OperationName == "otp.send").Select(a => (string?)a.GetTagItem(OtpDiagnostics.OutcomeTag)), Is.EquivalentTo(new[] { "success", failed.Error!.Code.ToString() }));
            Assert.That(otpActivities.Single(a => a.OperationName == "otp.send" && a.Status == System.Diagnostics.ActivityStatusCode.Error).StatusDescription, Is.EqualTo(failed.Error!.Code.ToString()));
            Assert.That(otpActivities.Where(a => a.OperationName == "otp.verify").Select(a => (string?)a.GetTagItem(OtpDiagnostics.OutcomeTag)), Does.Contain("Verified"));

            var sends = capture.Measurements.Where(m => m.Instrument == "otp.sends").ToList();
            var verifications = capture.Measurements.Where(m => m.Instrument == "otp.verifications").ToList();
            Assert.That(sends.Sum(m => m.Value), Is.EqualTo(2));
            Assert.That(sends.Count(m => m.Tags[OtpDiagnostics.OutcomeTag] == "success" && m.Tags[OtpDiagnostics.ProviderTag] == providerName), Is.EqualTo(1));
            Assert.That(verifications.Sum(m => m.Value), Is.EqualTo(2));
            Assert.That(verifications.Count(m => m.Tags[OtpDiagnostics.OutcomeTag] == "Verified"), Is.EqualTo(1));
            Assert.That(capture.Measurements.Count(m => m.Instrument == "otp.duration" && m.Tags[OtpDiagnostics.OperationTag] == "send"), Is.EqualTo(2));

            Assert.That(capture.Logs.Count(l => l.StartsWith("Information OtpClients.", StringComparison.Ordinal) && l.Contains("OTP send via " + providerName, StringComparison.Ordinal)), Is.EqualTo(2));
            Assert.That(capture.Logs.Any(l => l.Contains(PhoneNumber.Parse(phone).Masked, StringComparison.Ordinal)), Is.True, "logs name the masked number");
            Assert.That(capture.Logs.Any(l => l.Contains("OTP HTTP", StringComparison.Ordinal)), Is.True, "the redacting HTTP logger replaces IHttpClientFactory's");
        });
    }

    [Test]
    public void Options_ToString_HoldsNoSecret()
    {
        var amm = new OtpClients.Amm.AmmOptions { AuthKey = "k", AuthSecret = "super-secret" };
        var ip1 = new OtpClients.Ip1.Ip1Options { AccountId = "a", ApiKey = "super-secret" };
        var nine = new OtpClients.NinetyNineDigital.NinetyNineDigitalOptions { ApiKey = "super-secret" };
        Assert.That(new[] { amm.ToString(), ip1.ToString(), nine.ToString() }, Has.None.Contains("super-secret"));
    }
}
