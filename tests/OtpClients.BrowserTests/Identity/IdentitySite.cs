using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OtpClients.BrowserTests.Infrastructure;
using OtpClients.Emulator;
using OtpClients.Samples.Identity;

namespace OtpClients.BrowserTests.Identity;

/// <summary>
/// The Identity sample, started as its Program does (Kestrel on a free loopback port, a new SQLite file, the embedded
/// emulator because no credentials are set), with the emulator's clock in the test's hands.
/// </summary>
internal sealed class IdentitySite : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly string databasePath;

    private IdentitySite(WebApplication app, string databasePath, FakeTimeProvider clock, Uri baseAddress)
    {
        this.app = app;
        this.databasePath = databasePath;
        Clock = clock;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public FakeTimeProvider Clock { get; }

    public OtpEmulator Emulator => app.Services.GetRequiredService<OtpEmulator>();

    public static async Task<IdentitySite> StartAsync(params string[] args)
    {
        var databasePath = Path.Combine(Path.GetTempPath(), $"otp-identity-{Guid.NewGuid():N}.db");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var app = await IdentitySample.BuildAsync(
            [
                "--urls=http://127.0.0.1:0",
                "--environment=Development", // the emulator without credentials, as `dotnet run` starts it
                $"--ConnectionStrings:Identity=Data Source={databasePath};Pooling=false",
                "--Logging:LogLevel:Default=Warning",
                .. args,
            ],
            new OtpEmulatorOptions { TimeProvider = clock });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new IdentitySite(app, databasePath, clock, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Creates a user with a confirmed phone and SMS two-factor on, straight through the UserManager (faster than the pages).</summary>
    public async Task SeedUserAsync(string userName, string password, string phone)
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = new IdentityUser(userName) { PhoneNumber = phone, PhoneNumberConfirmed = true, TwoFactorEnabled = true };
        var created = await users.CreateAsync(user, password);
        Assert.That(created.Succeeded, Is.True, string.Join(", ", created.Errors.Select(e => e.Description)));
    }

    /// <summary>Waits (up to 5 s) for the emulator's outbox to hold <paramref name="count"/> messages to <paramref name="phone"/>, and returns the last code.</summary>
    public Task<string> CodeAsync(string phone, int count) => Outbox.CodeAsync(Emulator, phone, count);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        File.Delete(databasePath);
    }
}
