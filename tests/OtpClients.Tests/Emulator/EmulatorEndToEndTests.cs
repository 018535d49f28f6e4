using Microsoft.Extensions.DependencyInjection;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Emulator;

/// <summary>The SDK, registered with AddOtpClient, against the emulator: each provider's whole flow. Split by provider.</summary>
public sealed partial class EmulatorEndToEndTests : EmulatorFixture
{
    private ServiceProvider? provider;

    [TearDown]
    public async Task DisposeProviderAsync()
    {
        if (provider is not null)
        {
            await provider.DisposeAsync();
            provider = null;
        }
    }

    private T Resolve<T>(Action<OtpClientBuilder> configure)
        where T : notnull
    {
        var services = new ServiceCollection();
        services.AddOtpClient(configure);
        provider = services.BuildServiceProvider();
        return provider.GetRequiredService<T>();
    }

    private async Task<(OtpChallenge Challenge, string Code)> SendAsync(IOtpClient client, string phone, OtpSendRequest? request = null)
    {
        var sent = await client.SendAsync(request ?? new OtpSendRequest(phone));
        Assert.That(sent.IsSuccess, Is.True, sent.ToString());
        var code = Emulator.Outbox.LastCodeFor(phone);
        Assert.That(code, Is.Not.Null.And.Not.Empty, "the emulator's outbox holds the code");
        return (sent.Challenge!, code!);
    }

    private static string Wrong(string code) => code == "0000" || code == "000000" ? "1" + code[1..] : new string('0', code.Length);
}
