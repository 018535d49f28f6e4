using System.Net;
using System.Text.Json.Nodes;

namespace OtpClients.Tests.Emulator;

/// <summary>The rules the SDK enforces from the providers' docs, enforced by the emulator the same way.</summary>
public sealed partial class EmulatorHttpTests
{
    [TestCase("Your code:\\n{0}")]
    [TestCase("Your code: {0}\\r\\n")]
    [TestCase("Code {0}\\u2028bye")]
    public async Task Ip1Create_FormatWithLineBreak_IsRefusedNamingMessageFormat(string format)
    {
        var (status, body) = await SendAsync(Ip1(HttpMethod.Post, "/api/authentications", $"{{\"Phone\": \"46701234567\", \"MessageFormat\": \"{format}\"}}"));
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(body!["ModelState"]!.AsObject().Select(p => p.Key), Has.Some.EndsWith("MessageFormat"));
            Assert.That(emulator.Outbox.Messages, Is.Empty);
        });
    }

    [Test]
    public async Task Ip1Validate_CodeInAnotherCase_IsNotValid()
    {
        var local = await OtpClients.Emulator.OtpEmulator.StartAsync(new OtpClients.Emulator.OtpEmulatorOptions { CodeGenerator = (_, length, _) => new string('A', length) });
        await using var _ = local;
        using var client = new HttpClient { BaseAddress = local.BaseAddress };
        var auth = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{local.Credentials.Ip1AccountId}:{local.Credentials.Ip1ApiKey}")));

        async Task<JsonNode?> PostAsync(string path, string json)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Authorization = auth;
            using var response = await client.SendAsync(request);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync());
        }

        await PostAsync("/api/authentications", "{\"Phone\": \"46701234567\"}");
        var lower = await PostAsync("/api/authentications/validate", "{\"Phone\": \"46701234567\", \"Code\": \"aaaaa\"}");
        var exact = await PostAsync("/api/authentications/validate", "{\"Phone\": \"46701234567\", \"Code\": \"AAAAA\"}");

        Assert.Multiple(() =>
        {
            Assert.That(lower!["Valid"]!.GetValue<bool>(), Is.False, "codes compare exactly");
            Assert.That(exact!["Valid"]!.GetValue<bool>(), Is.True);
        });
    }

    [Test]
    public async Task AmmSend_EmptyOptionalFields_AreAbsent()
    {
        var (status, body) = await SendAsync(Amm(HttpMethod.Post, "/sms/v2/verify/send", new Dictionary<string, string>
        {
            ["to"] = "393481234567",
            ["text"] = "Code ${verify_code}",
            ["from"] = string.Empty,
            ["encoding"] = string.Empty,
            ["app_id"] = string.Empty,
            ["code_len"] = string.Empty,
            ["max_retry"] = string.Empty,
            ["ttl"] = string.Empty,
        }));
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body?.ToJsonString());
            Assert.That(body!["verify_id"], Is.Not.Null);
            Assert.That(emulator.Outbox.Messages.Single().Code, Has.Length.EqualTo(4), "code_len empty is the default, 4");
        });
    }
}
