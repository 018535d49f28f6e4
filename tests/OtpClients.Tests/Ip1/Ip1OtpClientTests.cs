using OtpClients.Ip1;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Ip1;

/// <summary><see cref="Ip1OtpClient"/> over real HTTP against a loopback stub. Split by area into partial files.</summary>
public sealed partial class Ip1OtpClientTests : WireMockFixture
{
    private const string AccountId = "ip1-12345";
    private const string ApiKey = "ip1-api-key-789";
    private const string Phone = "+46 70 123 45 67";
    private const string Msisdn = "46701234567";

    /// <summary>The response sample of the iP1 API help page (002_45aca1bb01797414.txt).</summary>
    private const string DocumentedAuthentication = """
        {
        "ID": 1,
        "Phone": "sample string 2",
        "Created": "2025-12-16T03:28:17.9016211+00:00",
        "HasExpired": true,
        "Expires": "2025-12-16T03:28:17.9016211+00:00",
        "IsUsed": true,
        "Used": "2025-12-16T03:28:17.9016211+00:00"
        }
        """;

    private static readonly DateTimeOffset DocumentedDate = DateTimeOffset.Parse("2025-12-16T03:28:17.9016211+00:00", System.Globalization.CultureInfo.InvariantCulture);

    private Ip1OtpClient CreateClient(Action<Ip1Options>? configure = null)
    {
        var options = new Ip1Options { BaseAddress = Server.BaseAddress(), AccountId = AccountId, ApiKey = ApiKey };
        configure?.Invoke(options);
        return new Ip1OtpClient(Http, options, Clock);
    }

    private static OtpChallenge Challenge(string id = "42") => new(OtpProviderNames.Ip1, id, "+" + Msisdn);

    private static string Authentication(long id, bool hasExpired = false, bool isUsed = false) =>
        $"{{\"ID\": {id}, \"Phone\": \"{Msisdn}\", \"Created\": \"2026-11-22T10:00:00Z\", \"HasExpired\": {(hasExpired ? "true" : "false")}, \"Expires\": \"2026-11-22T10:20:00Z\", \"IsUsed\": {(isUsed ? "true" : "false")}, \"Used\": null}}";

    private static void AssertRequest(WireRequest request, string method, string path, string? json)
    {
        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo(method));
            Assert.That(request.Path, Is.EqualTo(path));
            Assert.That(request.QueryString, Is.Empty);
            Assert.That(request.BasicCredentials(), Is.EqualTo((AccountId, ApiKey)), "Basic AccountId:ApiKey");
            Assert.That(request.Header("Accept"), Is.EqualTo("application/json"));
            if (json is null)
            {
                Assert.That(request.Body, Is.Empty);
                Assert.That(request.ContentType, Is.Null);
            }
            else
            {
                Assert.That(request.ContentType, Is.EqualTo("application/json; charset=utf-8"));
            }
        });
        if (json is not null)
        {
            JsonAssert.AreEquivalent(request.BodyText, json);
        }
    }
}
