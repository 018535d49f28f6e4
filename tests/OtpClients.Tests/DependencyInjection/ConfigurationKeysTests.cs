using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OtpClients.DependencyInjection;

namespace OtpClients.Tests.DependencyInjection;

/// <summary>
/// Misspelt settings fail at start (the binder would ignore them: Otp:Amm:Sandbx=true would send real, billed SMS), and
/// validation messages name configuration paths.
/// </summary>
public sealed class ConfigurationKeysTests
{
    private static readonly (string, string)[] Valid =
    [
        ("Otp:Provider", "Amm"), ("Otp:Amm:AuthKey", "k"), ("Otp:Amm:AuthSecret", "s"),
    ];

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static string Refusal(params (string Key, string Value)[] extra)
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddOtpClient(Config([.. Valid, .. extra]).GetSection("Otp")));
        return exception!.Message;
    }

    [TestCase("Otp:Amm:Sandbx", "true", "Otp:Amm:Sandbx is not a setting (did you mean Otp:Amm:Sandbox?)")]
    [TestCase("Otp:Amm:AttemptTimout", "00:00:05", "Otp:Amm:AttemptTimout is not a setting (did you mean Otp:Amm:AttemptTimeout?)")]
    [TestCase("Otp:Amm:MaxRetryAttemps", "1", "Otp:Amm:MaxRetryAttemps is not a setting (did you mean Otp:Amm:MaxRetryAttempts?)")]
    [TestCase("Otp:Amm:CircuitBreaker:FailureRatoi", "0.5", "Otp:Amm:CircuitBreaker:FailureRatoi is not a setting (did you mean Otp:Amm:CircuitBreaker:FailureRatio?)")]
    [TestCase("Otp:AMMM:AuthKey", "k", "Otp:AMMM is not a setting (did you mean Otp:Amm?)")]
    [TestCase("Otp:Failovr:0", "Amm", "Otp:Failovr is not a setting (did you mean Otp:Failover?)")]
    [TestCase("Otp:SendGuard:Coldown", "00:00:30", "Otp:SendGuard:Coldown is not a setting (did you mean Otp:SendGuard:Cooldown?)")]
    [TestCase("Otp:SendGuard:Conversion:Threshhold", "0.5", "Otp:SendGuard:Conversion:Threshhold is not a setting")]
    [TestCase("Otp:Sessions:MaxAtempts", "3", "Otp:Sessions:MaxAtempts is not a setting (did you mean Otp:Sessions:MaxAttempts?)")]
    [TestCase("Otp:Zzzzzzzzz", "1", "Otp:Zzzzzzzzz is not a setting; a misspelt setting would be ignored.")]
    public void AddOtpClient_UnknownKey_FailsNamingItsPathAndTheKeyMeant(string key, string value, string message)
    {
        Assert.That(Refusal((key, value)), Does.Contain(message));
    }

    [Test]
    public void AddOtpClient_SeveralUnknownKeys_NamesEach()
    {
        var message = Refusal(("Otp:Amm:Sandbx", "true"), ("Otp:Amm:Sendr", "Contoso"));

        Assert.That(message, Does.Contain("Otp:Amm:Sandbx").And.Contain("Otp:Amm:Sendr is not a setting (did you mean Otp:Amm:Sender?)"));
    }

    /// <summary>On main the misspelt keys came one section per start: Otp:Amm first, Otp:SendGuard only on the next run.</summary>
    [Test]
    public void AddOtpClient_MisspeltKeysInEverySection_AllReportedInOneStart()
    {
        var message = Refusal(
            ("Otp:Amm:Sendr", "Contoso"),
            ("Otp:SendGuard:Coldown", "00:00:30"),
            ("Otp:Sessions:MaxAtempts", "3"),
            ("Otp:DeliveryHealth:MinSend", "20"),
            ("Otp:Rooutes:IL:0", "Amm"));

        Assert.That(message, Does.Contain("Otp:Amm:Sendr").And.Contain("Otp:SendGuard:Coldown").And.Contain("Otp:Sessions:MaxAtempts").And.Contain("Otp:DeliveryHealth:MinSend").And.Contain("Otp:Rooutes"));
    }

    /// <summary>On main: "unknown OTP provider 'Ammm'", naming neither the path nor the provider meant.</summary>
    [TestCase("Otp:Failover:0", "Ammm", "Otp:Failover:0 'Ammm' is not an OTP provider (did you mean Amm?)")]
    [TestCase("Otp:Provider", "ip", "Otp:Provider 'ip' is not an OTP provider (did you mean")]
    [TestCase("Otp:Routes:IL:1", "NinetyNineDigitl", "Otp:Routes:IL:1 'NinetyNineDigitl' is not an OTP provider (did you mean NinetyNineDigital?)")]
    public void AddOtpClient_MisspeltProviderName_NamesItsPathAndTheProviderMeant(string key, string value, string message)
    {
        var values = key == "Otp:Provider"
            ? new[] { (key, value), ("Otp:Amm:AuthKey", "k") }
            : key.StartsWith("Otp:Routes", StringComparison.Ordinal)
                ? new[] { ("Otp:Routes:IL:0", "Amm"), (key, value), ("Otp:Routes:*:0", "Amm"), ("Otp:Amm:AuthKey", "k"), ("Otp:Amm:AuthSecret", "s") }
                : new[] { (key, value), ("Otp:Failover:1", "Ip1"), ("Otp:Ip1:AccountId", "ip1-1"), ("Otp:Ip1:ApiKey", "k") };
        var exception = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddOtpClient(Config(values).GetSection("Otp")));

        Assert.That(exception!.Message, Does.Contain(message));
    }

    [Test]
    public void AddOtpClient_MisspeltEnvironmentVariable_Fails()
    {
        const string Prefix = "OTPCLIENTS_KEYS_TEST_";
        Environment.SetEnvironmentVariable(Prefix + "Otp__Provider", "Amm");
        Environment.SetEnvironmentVariable(Prefix + "Otp__Amm__AuthKey", "k");
        Environment.SetEnvironmentVariable(Prefix + "Otp__Amm__AuthSecret", "s");
        Environment.SetEnvironmentVariable(Prefix + "Otp__Amm__Sandbx", "true");
        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables(Prefix).Build();

            Assert.That(
                () => new ServiceCollection().AddOtpClient(configuration.GetSection("Otp")),
                Throws.InvalidOperationException.With.Message.Contains("Otp:Amm:Sandbx is not a setting (did you mean Otp:Amm:Sandbox?)"));
        }
        finally
        {
            foreach (var name in new[] { "Otp__Provider", "Otp__Amm__AuthKey", "Otp__Amm__AuthSecret", "Otp__Amm__Sandbx" })
            {
                Environment.SetEnvironmentVariable(Prefix + name, null);
            }
        }
    }

    [Test]
    public void UseAmm_SectionWithUnknownKey_Fails()
    {
        var section = Config(("Sms:Amm:AuthKey", "k"), ("Sms:Amm:AuthSecret", "s"), ("Sms:Amm:Sandbx", "true")).GetSection("Sms:Amm");

        Assert.That(
            () => new ServiceCollection().AddOtpClient(otp => otp.UseAmm(section)),
            Throws.InvalidOperationException.With.Message.Contains("Sms:Amm:Sandbx is not a setting (did you mean Sms:Amm:Sandbox?)"));
    }

    [TestCase("Otp:Redis:HashKy", "Otp:Redis:HashKy is not a setting (did you mean Otp:Redis:HashKey?)")]
    [TestCase("Otp:Redis:Configuraton", "Otp:Redis:Configuraton is not a setting (did you mean Otp:Redis:Configuration?)")]
    [TestCase("Otp:Redis:Prefix", "Otp:Redis:Prefix is not a setting")]
    public void UseRedis_SectionWithUnknownKey_FailsNamingItsPathAndTheKeyMeant(string key, string message)
    {
        var configuration = Config([.. Valid, ("Otp:Redis:Configuration", "127.0.0.1:1"), ("Otp:Redis:HashKey", new string('h', 32)), (key, "x")]);
        var otp = new ServiceCollection().AddOtpClient(configuration.GetSection("Otp"));

        Assert.That(() => otp.UseRedis(configuration.GetSection("Otp:Redis")), Throws.InvalidOperationException.With.Message.Contains(message));
    }

    [Test]
    public void ThrowIfUnknownKeys_PluginSection_RefusesUnknownAndAcceptsNestedKeys()
    {
        var otp = new ServiceCollection().AddOtpClient(o => o.UseAmm(a => { a.AuthKey = "k"; a.AuthSecret = "s"; }));
        var good = Config(("Store:Sandbox", "true"), ("Store:CircuitBreaker:FailureRatio", "0.5")).GetSection("Store");
        var bad = Config(("Store:CircuitBreaker:FailureRatoi", "0.5")).GetSection("Store");

        Assert.Multiple(() =>
        {
            Assert.That(otp.ThrowIfUnknownKeys<OtpClients.Amm.AmmOptions>(good), Is.SameAs(otp));
            Assert.That(
                () => otp.ThrowIfUnknownKeys<OtpClients.Amm.AmmOptions>(bad),
                Throws.InvalidOperationException.With.Message.Contains("Store:CircuitBreaker:FailureRatoi is not a setting (did you mean Store:CircuitBreaker:FailureRatio?)"));
            Assert.That(() => otp.ThrowIfUnknownKeys<OtpClients.Amm.AmmOptions>(null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("section"));
        });
    }

    [Test]
    public void AddOtpClient_EveryKeySpelledRight_Starts()
    {
        var services = new ServiceCollection();
        services.AddOtpClient(Config(
            [.. Valid,
            ("Otp:amm:sandbox", "true"),
            ("Otp:Amm:CircuitBreaker:Enabled", "false"),
            ("Otp:Amm:AttemptTimeout", "00:00:05"),
            ("Otp:Ip1:AccountId", "a"),
            ("Otp:Ip1:ApiKey", "k"),
            ("Otp:Failover:0", "Amm"),
            ("Otp:Failover:1", "Ip1"),
            ("Otp:SendGuard:Cooldown", "00:00:10"),
            ("Otp:SendGuard:AllowedRegions:0", "IT"),
            ("Otp:SendGuard:Conversion:Enabled", "true"),
            ("Otp:Sessions:MaxAttempts", "3")]).GetSection("Otp"));
        using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<IOtpClient>(), Is.Not.Null, "keys are matched case-insensitively, as the binder does");
    }

    [Test]
    public async Task Start_MissingSecretFromConfiguration_MessageNamesTheConfigurationPath()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddOtpClient(Config(("Otp:Provider", "Amm"), ("Otp:Amm:AuthKey", "k"), ("Otp:Amm:CircuitBreaker:FailureRatio", "2")).GetSection("Otp"));
        using var host = builder.Build();

        var exception = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Multiple(() =>
        {
            Assert.That(exception!.Message, Does.Contain("Otp:Amm:AuthSecret is required."));
            Assert.That(exception.Message, Does.Contain("Otp:Amm:CircuitBreaker:FailureRatio must be greater than 0 and at most 1."));
            Assert.That(exception.Message, Does.Not.Contain("Amm.AuthSecret"));
        });
        await Task.CompletedTask;
    }

    [Test]
    public void Resolve_MissingSecretConfiguredInCode_MessageNamesTheOptionsProperty()
    {
        var services = new ServiceCollection();
        services.AddOtpClient(otp => otp.UseAmm(o => o.AuthKey = "k"));
        using var provider = services.BuildServiceProvider();

        Assert.That(() => provider.GetRequiredService<IOtpClient>(), Throws.TypeOf<OptionsValidationException>().With.Message.Contains("Amm.AuthSecret is required."));
    }

    [TestCase("Sandbx", "Sandbox")]
    [TestCase("sandbox", "Sandbox")]
    [TestCase("AttemptTimout", "AttemptTimeout")]
    [TestCase("Xyzzy", null)]
    public void Closest_MisspeltKey_IsTheKeyMeantOrNone(string key, string? expected)
    {
        Assert.That(ConfigurationKeys.Closest(key, ["Sandbox", "Sender", "AttemptTimeout", "TotalTimeout"]), Is.EqualTo(expected));
    }
}
