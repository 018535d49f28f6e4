using OtpClients.Amm;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Amm;

/// <summary>
/// <see cref="AmmOtpClient"/> over real HTTP against a loopback stub: the exact wire request of every endpoint and
/// the mapped result of every documented answer. Split by area into partial files.
/// </summary>
public sealed partial class AmmOtpClientTests : WireMockFixture
{
    private const string AuthKey = "amm-key-123";
    private const string AuthSecret = "amm-secret-456";
    private const string Phone = "+39 348 123 4567";
    private const string Msisdn = "393481234567";
    private const string VerifyId = "c6cf59524c65d9c65d134d1137a86336558d19ba";

    private AmmOtpClient CreateClient(Action<AmmOptions>? configure = null)
    {
        var options = new AmmOptions { BaseAddress = Server.BaseAddress(), AuthKey = AuthKey, AuthSecret = AuthSecret };
        configure?.Invoke(options);
        return new AmmOtpClient(Http, options, Clock);
    }

    private static OtpChallenge Challenge(string id = VerifyId) => new(OtpProviderNames.Amm, id, "+" + Msisdn);

    private static void AssertAmmHeaders(WireRequest request)
    {
        Assert.Multiple(() =>
        {
            Assert.That(request.BasicCredentials(), Is.EqualTo((AuthKey, AuthSecret)), "Basic AUTH_KEY:AUTH_SECRET");
            Assert.That(request.Header("Accept"), Is.EqualTo("application/json"));
        });
    }

    private static string ErrorBody(string errorMsg, int errorCode = 400) => $"{{\"errorMsg\": \"{errorMsg}\", \"errorCode\": {errorCode}}}";
}
