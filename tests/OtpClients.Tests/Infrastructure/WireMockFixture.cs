using Microsoft.Extensions.Time.Testing;
using WireMock.Server;

namespace OtpClients.Tests.Infrastructure;

/// <summary>
/// A fixture with a fresh loopback <see cref="WireMockServer"/> per test (WireMock.Net logs a request once its
/// answer is written, so a delayed answer of one test must not land in the next test's log), an HttpClient that does
/// not follow redirects, and a fresh <see cref="FakeTimeProvider"/> per test.
/// </summary>
public abstract class WireMockFixture
{
    /// <summary>The instant every test's clock starts at.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    protected WireMockServer Server { get; private set; } = null!;

    protected HttpClient Http { get; private set; } = null!;

    protected FakeTimeProvider Clock { get; private set; } = null!;

    [OneTimeSetUp]
    public void CreateHttpClient() =>
        Http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };

    [OneTimeTearDown]
    public void DisposeHttpClient() => Http.Dispose();

    [SetUp]
    public void StartServer()
    {
        Server = ProviderStandIn.Start();
        Clock = new FakeTimeProvider(Start);
    }

    [TearDown]
    public void StopServer() => Server.Dispose();
}
