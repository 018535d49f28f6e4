using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OtpClients.Delivery;

namespace OtpClients.Tests.Delivery;

/// <summary>Delivery health's options: defaults, ranges (seconds allowed for tests), configuration binding and misspelt keys.</summary>
public sealed class DeliveryHealthOptionsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static readonly (string, string)[] Amm = [("Otp:Provider", "Amm"), ("Otp:Amm:AuthKey", "k"), ("Otp:Amm:AuthSecret", "s")];

    private static string StartFailure(Action<OtpDeliveryHealthOptions> configure)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddOtpClient("health", otp =>
        {
            otp.UseAmm(o => { o.AuthKey = "k"; o.AuthSecret = "s"; });
            otp.UseDeliveryHealth(configure);
        });
        using var host = builder.Build();
        return Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync())!.Message;
    }

    [Test]
    public void Defaults_AreForProduction()
    {
        var options = new OtpDeliveryHealthOptions();
        Assert.Multiple(() =>
        {
            Assert.That(options.Window, Is.EqualTo(TimeSpan.FromHours(6)));
            Assert.That(options.MinSends, Is.EqualTo(20));
            Assert.That(options.VerifyWithin, Is.EqualTo(TimeSpan.FromMinutes(10)));
            Assert.That(options.DemotionRatio, Is.EqualTo(0.5));
            Assert.That(options.ProbeShare, Is.EqualTo(0.05));
        });
    }

    [TestCase("Window", "00:00:00.999", "DeliveryHealth:Window must be from 1 second to 7 days")]
    [TestCase("Window", "8.00:00:00", "DeliveryHealth:Window must be from 1 second to 7 days")]
    [TestCase("VerifyWithin", "00:00:00.099", "DeliveryHealth:VerifyWithin must be from 100 milliseconds to 1 day")]
    [TestCase("VerifyWithin", "06:00:00", "DeliveryHealth:VerifyWithin must be shorter than Otp:DeliveryHealth:Window")]
    [TestCase("MinSends", "4", "DeliveryHealth:MinSends must be from 5 to 100000")]
    [TestCase("MaxSendsPerNetwork", "0", "DeliveryHealth:MaxSendsPerNetwork must be from 1 to 1000; it is 0.")]
    [TestCase("MaxSendsPerNetwork", "1001", "DeliveryHealth:MaxSendsPerNetwork must be from 1 to 1000; it is 1001.")]
    [TestCase("MinSends", "100001", "DeliveryHealth:MinSends must be from 5 to 100000")]
    [TestCase("DemotionRatio", "0.04", "DeliveryHealth:DemotionRatio must be from 0.05 to 0.95")]
    [TestCase("DemotionRatio", "0.96", "DeliveryHealth:DemotionRatio must be from 0.05 to 0.95")]
    [TestCase("ProbeShare", "-0.1", "DeliveryHealth:ProbeShare must be from 0 to 0.5")]
    [TestCase("ProbeShare", "0.6", "DeliveryHealth:ProbeShare must be from 0 to 0.5")]
    public void Start_OutOfRange_FailsNamingTheSettingsPath(string setting, string value, string message)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddOtpClient(Config([.. Amm, ($"Otp:DeliveryHealth:{setting}", value)]).GetSection("Otp"));
        using var host = builder.Build();
        var failure = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync())!.Message;
        Assert.That(failure, Does.Contain("Otp:" + message));
    }

    [Test]
    public void Start_OutOfRangeInCode_NamesTheSetting()
    {
        var failure = StartFailure(o => o.MinSends = 1);
        Assert.That(failure, Does.Contain("DeliveryHealth:MinSends must be from 5 to 100000; it is 1."));
    }

    [Test]
    public async Task Start_SecondsForTests_AreAccepted()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddOtpClient(Config([.. Amm,
            ("Otp:DeliveryHealth:Window", "00:00:01"),
            ("Otp:DeliveryHealth:VerifyWithin", "00:00:00.100"),
            ("Otp:DeliveryHealth:MinSends", "5"),
            ("Otp:DeliveryHealth:ProbeShare", "0")]).GetSection("Otp"));
        using var host = builder.Build();
        await host.StartAsync();
        var options = host.Services.GetRequiredService<IOptionsMonitor<OtpDeliveryHealthOptions>>().Get(Options.DefaultName);
        Assert.Multiple(() =>
        {
            Assert.That(options.Window, Is.EqualTo(TimeSpan.FromSeconds(1)));
            Assert.That(options.VerifyWithin, Is.EqualTo(TimeSpan.FromMilliseconds(100)));
            Assert.That(options.MinSends, Is.EqualTo(5));
            Assert.That(host.Services.GetService<IOtpDeliveryHealth>(), Is.Not.Null);
        });
        await host.StopAsync();
    }

    [Test]
    public void AddOtpClient_MisspeltDeliveryHealthKey_FailsNamingItAndTheKeyMeant()
    {
        var exception = Assert.Throws<InvalidOperationException>(() =>
            new ServiceCollection().AddOtpClient(Config([.. Amm, ("Otp:DeliveryHealth:MinSend", "10")]).GetSection("Otp")));
        Assert.That(exception!.Message, Does.Contain("Otp:DeliveryHealth:MinSend").And.Contain("Otp:DeliveryHealth:MinSends"));
    }

    [Test]
    public void AddOtpClient_WithoutDeliveryHealth_RegistersNoReader()
    {
        var services = new ServiceCollection();
        services.AddOtpClient(otp => otp.UseAmm(o => { o.AuthKey = "k"; o.AuthSecret = "s"; }));
        using var provider = services.BuildServiceProvider();
        Assert.That(provider.GetService<IOtpDeliveryHealth>(), Is.Null);
    }
}
