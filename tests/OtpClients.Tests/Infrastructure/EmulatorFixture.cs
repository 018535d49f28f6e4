using Microsoft.Extensions.Time.Testing;
using OtpClients.Emulator;

namespace OtpClients.Tests.Infrastructure;

/// <summary>
/// A fixture with one emulator on a fake clock (starting at the real time), started once for the fixture and emptied
/// (outbox, faults, accounts' state) before each test.
/// </summary>
public abstract class EmulatorFixture
{
    protected OtpEmulator Emulator { get; private set; } = null!;

    protected FakeTimeProvider Clock { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartEmulatorAsync()
    {
        Clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        Emulator = await OtpEmulator.StartAsync(new OtpEmulatorOptions { TimeProvider = Clock });
    }

    [OneTimeTearDown]
    public async Task StopEmulatorAsync() => await Emulator.DisposeAsync();

    [SetUp]
    public void ResetEmulator() => Emulator.Reset();
}
