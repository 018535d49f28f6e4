using OtpClients.NinetyNineDigital;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.NinetyNineDigital;

/// <summary><see cref="NinetyNineDigitalOtpClient"/> over real HTTP against a loopback stub. Split by area into partial files.</summary>
public sealed partial class NinetyNineDigitalOtpClientTests : WireMockFixture
{
    private const string ApiKey = "99d-api-key-321";
    private const string Sender = "Contoso";
    private const string Phone = "+972 50-123-4567";
    private const string Local = "0501234567";
    private const string SendExample = "{\n\"status\": \"OK\",\n\"unique\": \"63433453\",\n\"timestamp\": 1600115719,\n\"from\": \"0501234567\",\n\"reason\": 1\n}";
    private const string CheckExample = "{\n\"status\": 1,\n\"phone\": \"0501234567\",\n}";

    private NinetyNineDigitalOtpClient CreateClient(Action<NinetyNineDigitalOptions>? configure = null)
    {
        var options = new NinetyNineDigitalOptions { BaseAddress = Server.BaseAddress(), ApiKey = ApiKey, Sender = Sender };
        configure?.Invoke(options);
        return new NinetyNineDigitalOtpClient(Http, options, Clock);
    }

    private static OtpChallenge Challenge() => new(OtpProviderNames.NinetyNineDigital, "63433453", "+972501234567");

    /// <summary>Asserts a multipart request with exactly these parts, in order, each a plain form field.</summary>
    private static void AssertMultipart(WireRequest request, string path, params (string Name, string Value)[] parts)
    {
        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo("POST"));
            Assert.That(request.Path, Is.EqualTo(path));
            Assert.That(request.QueryString, Is.Empty);
            Assert.That(request.ContentType, Does.StartWith("multipart/form-data; boundary="));
            Assert.That(request.Header("Authorization"), Is.Null, "99digital takes the key in its form field only");
            Assert.That(request.Headers.Values, Has.None.Contains(ApiKey), "the key travels in no header");
            Assert.That(request.Parts.Select(p => (p.Name, p.Value)), Is.EqualTo(parts));
            foreach (var part in request.Parts)
            {
                Assert.That(part.ContentType, Is.Null, $"part {part.Name} has no content type");
                Assert.That(part.FileName, Is.Null, $"part {part.Name} is not a file");
                Assert.That(part.ContentDisposition, Is.EqualTo($"form-data; name=\"{part.Name}\""));
            }
        });
    }
}
