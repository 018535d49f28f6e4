using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OtpClients.Emulator;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Emulator;

/// <summary>The emulator's delivery controls (deliver, drop silently, delay) in process and over HTTP, and what the outbox shows.</summary>
public sealed class EmulatorDeliveryTests : EmulatorFixture
{
    private const string Phone = "+393481234567";

    private async Task<OtpSendResult> SendAsync()
    {
        await using var services = new ServiceCollection().AddOtpClient(otp => otp.UseAmm(Emulator.ConfigureAmm)).Services.BuildServiceProvider();
        return await services.GetRequiredService<IOtpClient>().SendAsync(new OtpSendRequest(Phone));
    }

    private HttpClient Http() => new() { BaseAddress = Emulator.BaseAddress };

    [Test]
    public async Task Drop_ProviderStillSaysSent_ButTheMessageNeverReachesThePhone()
    {
        Emulator.Delivery.Drop("AMM");
        var sent = await SendAsync();
        using var http = Http();
        var listed = (await http.GetFromJsonAsync<JsonArray>("_emulator/messages"))!.Single()!;

        Assert.Multiple(() =>
        {
            Assert.That(sent.IsSuccess, Is.True, "the provider answers as usual");
            Assert.That(Emulator.Outbox.Messages.Single().DeliveredAt, Is.Null);
            Assert.That(Emulator.Outbox.LastDeliveredFor(Phone), Is.Null);
            Assert.That(Emulator.Outbox.LastCodeFor(Phone), Is.Not.Null, "the outbox keeps what the provider sent");
            Assert.That((string)listed["delivery"]!, Is.EqualTo("dropped"));
            Assert.That(listed["deliveredAt"], Is.Null);
        });
    }

    [Test]
    public async Task Delay_TheMessageArrivesAfterTheDelayByTheEmulatorsClock()
    {
        Emulator.Delivery.Delay("amm", TimeSpan.FromSeconds(30));
        await SendAsync();
        using var http = Http();
        var before = (await http.GetFromJsonAsync<JsonArray>("_emulator/messages"))!.Single()!;
        var early = Emulator.Outbox.LastDeliveredFor(Phone);
        Clock.Advance(TimeSpan.FromSeconds(30));
        var after = (await http.GetFromJsonAsync<JsonArray>("_emulator/messages"))!.Single()!;

        Assert.Multiple(() =>
        {
            Assert.That((string)before["delivery"]!, Is.EqualTo("delayed"));
            Assert.That(early, Is.Null);
            Assert.That((string)after["delivery"]!, Is.EqualTo("delivered"));
            Assert.That(Emulator.Outbox.LastDeliveredFor(Phone)!.Code, Is.EqualTo(Emulator.Outbox.LastCodeFor(Phone)));
        });
    }

    [Test]
    public async Task PostDelivery_SetsAndListsEachProvidersRule()
    {
        using var http = Http();
        using var drop = await http.PostAsJsonAsync("_emulator/delivery", new { provider = "AMM", mode = "drop" });
        using var delay = await http.PostAsJsonAsync("_emulator/delivery", new { provider = "iP1", mode = "delay", delayMs = 2500 });
        var listed = await http.GetFromJsonAsync<JsonObject>("_emulator/delivery");
        await SendAsync();
        using var deliver = await http.PostAsJsonAsync("_emulator/delivery", new { provider = "AMM", mode = "deliver" });

        Assert.Multiple(() =>
        {
            Assert.That(drop.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(delay.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That((string)listed!["AMM"]!["mode"]!, Is.EqualTo("drop"));
            Assert.That((long)listed["iP1"]!["delayMs"]!, Is.EqualTo(2500));
            Assert.That(Emulator.Outbox.Messages.Single().Delivery, Is.EqualTo(OtpEmulatorDeliveryMode.Drop));
            Assert.That(deliver.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(Emulator.Delivery.Of("AMM"), Is.EqualTo(OtpEmulatorDeliveryRule.Immediate));
        });
    }

    [Test]
    public async Task PostDelivery_OneChannelOfAProvider_DropsItsCallsAndKeepsItsTexts()
    {
        using var http = Http();
        using var drop = await http.PostAsJsonAsync("_emulator/delivery", new { provider = "Twilio", channel = "voice", mode = "drop" });
        var listed = await http.GetFromJsonAsync<JsonObject>("_emulator/delivery");

        Assert.Multiple(() =>
        {
            Assert.That(drop.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That((string)listed!["Twilio/voice"]!["mode"]!, Is.EqualTo("drop"));
            Assert.That(Emulator.Delivery.Of("Twilio", OtpChannel.Voice).Mode, Is.EqualTo(OtpEmulatorDeliveryMode.Drop));
            Assert.That(Emulator.Delivery.Of("Twilio", OtpChannel.Sms), Is.EqualTo(OtpEmulatorDeliveryRule.Immediate));
            Assert.That(Emulator.Delivery.Of("Twilio"), Is.EqualTo(OtpEmulatorDeliveryRule.Immediate));
        });
    }

    [TestCase("{\"provider\":\"AMM\",\"mode\":\"lose\"}")]
    [TestCase("{\"provider\":\"AMM\",\"mode\":\"delay\"}")]
    [TestCase("{\"provider\":\"AMM\",\"mode\":\"delay\",\"delayMs\":0}")]
    [TestCase("{\"mode\":\"drop\"}")]
    [TestCase("{\"provider\":\"Twilio\",\"channel\":\"email\",\"mode\":\"drop\"}")]
    [TestCase("{\"channel\":\"voice\",\"mode\":\"drop\"}")]
    [TestCase("[]")]
    public async Task PostDelivery_Malformed_Is400NamingTheFields(string body)
    {
        using var http = Http();
        using var response = await http.PostAsync("_emulator/delivery", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("provider, optionally channel (sms, voice or whatsapp), mode"));
            Assert.That(Emulator.Delivery.Rules, Is.Empty);
        });
    }

    [Test]
    public async Task PostDelivery_FromAnotherOrigin_IsRefused()
    {
        using var http = Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, "_emulator/delivery") { Content = new StringContent("{\"provider\":\"AMM\",\"mode\":\"drop\"}", Encoding.UTF8, "text/plain") };
        request.Headers.Add("Origin", "https://attacker.example");
        using var response = await http.SendAsync(request);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(Emulator.Delivery.Rules, Is.Empty);
        });
    }

    [Test]
    public void Delay_OutOfRange_Throws()
    {
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => Emulator.Delivery.Delay("AMM", TimeSpan.Zero));
            Assert.Throws<ArgumentOutOfRangeException>(() => Emulator.Delivery.Delay("AMM", TimeSpan.FromDays(2)));
            Assert.Throws<ArgumentException>(() => Emulator.Delivery.Drop(" "));
        });
    }

    [Test]
    public async Task Reset_DeliversEverythingAtOnceAgain()
    {
        Emulator.Delivery.Drop("AMM");
        Emulator.Reset();
        await SendAsync();
        Assert.That(Emulator.Outbox.LastDeliveredFor(Phone), Is.Not.Null);
    }
}
