namespace OtpClients.Tests.Infrastructure;

/// <summary>
/// A fixture with one loopback <see cref="StubServer"/> for all its tests, reset before each, an HttpClient that does
/// not follow redirects, and a fresh <see cref="ManualTimeProvider"/> per test.
/// </summary>
public abstract class StubServerFixture
{
    protected StubServer Stub { get; private set; } = null!;

    protected HttpClient Http { get; private set; } = null!;

    protected ManualTimeProvider Clock { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartStubAsync()
    {
        Stub = await StubServer.StartAsync();
        Http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };
    }

    [OneTimeTearDown]
    public async Task StopStubAsync()
    {
        Http.Dispose();
        await Stub.DisposeAsync();
    }

    [SetUp]
    public void ResetStub()
    {
        Stub.Reset();
        Clock = new ManualTimeProvider();
    }
}
