using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OtpClients.Amm;
using OtpClients.Failover;
using OtpClients.Ip1;
using OtpClients.NinetyNineDigital;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.DependencyInjection;

public sealed class AddOtpClientTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static async Task<string> StartFailureAsync(Action<OtpClientBuilder> configure)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddOtpClient(configure);
        using var host = builder.Build();
        var exception = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        return exception!.Message;
    }

    [Test]
    public void AddOtpClient_Amm_ResolvesAmmClientAsIOtpClient()
    {
        var services = new ServiceCollection();
        services.AddOtpClient(otp => otp.UseAmm(o => { o.AuthKey = "k"; o.AuthSecret = "s"; }));
        using var provider = services.BuildServiceProvider();
        Assert.Multiple(() =>
        {
            Assert.That(provider.GetRequiredService<IOtpClient>(), Is.InstanceOf<AmmOtpClient>());
            Assert.That(provider.GetRequiredService<AmmOtpClient>(), Is.Not.Null);
            Assert.That(provider.GetRequiredService<IHttpClientFactory>().CreateClient("OtpClients.AMM").Timeout, Is.EqualTo(Timeout.InfiniteTimeSpan), "the pipeline owns time");
        });
    }

    [Test]
    public void AddOtpClient_FromConfiguration_BindsEachProvider()
    {
        var configuration = Config(
            ("Otp:Failover:0", "Amm"),
            ("Otp:Failover:1", "Ip1"),
            ("Otp:Failover:2", "NinetyNineDigital"),
            ("Otp:Amm:AuthKey", "amm-key"),
            ("Otp:Amm:AuthSecret", "amm-secret"),
            ("Otp:Amm:MaxRetry", "7"),
            ("Otp:Amm:Encoding", "Ucs2"),
            ("Otp:Amm:TimeToLive", "00:02:00"),
            ("Otp:Amm:BaseAddress", "http://127.0.0.1:9/"),
            ("Otp:Amm:CircuitBreaker:BreakDuration", "00:00:05"),
            ("Otp:Ip1:AccountId", "ip1-12345"),
            ("Otp:Ip1:ApiKey", "ip1-key"),
            ("Otp:Ip1:NumericOnly", "true"),
            ("Otp:NinetyNineDigital:ApiKey", "99-key"),
            ("Otp:NinetyNineDigital:Sender", "Contoso"),
            ("Otp:NinetyNineDigital:CheckPath", "/sms/check"));
        var services = new ServiceCollection();
        services.AddOtpClient(configuration.GetSection("Otp"));
        using var provider = services.BuildServiceProvider();

        var amm = provider.GetRequiredService<IOptionsMonitor<AmmOptions>>().Get("OtpClients.AMM");
        var ip1 = provider.GetRequiredService<IOptionsMonitor<Ip1Options>>().Get("OtpClients.iP1");
        var nine = provider.GetRequiredService<IOptionsMonitor<NinetyNineDigitalOptions>>().Get("OtpClients.99digital");
        var client = (FailoverOtpClient)provider.GetRequiredService<IOtpClient>();
        Assert.Multiple(() =>
        {
            Assert.That(client.Clients.Select(c => c.ProviderName), Is.EqualTo(new[] { "AMM", "iP1", "99digital" }));
            Assert.That((amm.AuthKey, amm.AuthSecret, amm.MaxRetry, amm.Encoding, amm.TimeToLive), Is.EqualTo(("amm-key", "amm-secret", (int?)7, (AmmEncoding?)AmmEncoding.Ucs2, (TimeSpan?)TimeSpan.FromMinutes(2))));
            Assert.That(amm.BaseAddress, Is.EqualTo(new Uri("http://127.0.0.1:9/")));
            Assert.That(amm.CircuitBreaker.BreakDuration, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That((ip1.AccountId, ip1.ApiKey, ip1.NumericOnly), Is.EqualTo(("ip1-12345", "ip1-key", (bool?)true)));
            Assert.That((nine.ApiKey, nine.Sender, nine.CheckPath, nine.SendPath), Is.EqualTo(("99-key", "Contoso", "/sms/check", "/sms/verifySMS")));
            Assert.That(provider.GetRequiredService<Ip1OtpClient>(), Is.Not.Null);
            Assert.That(provider.GetRequiredService<NinetyNineDigitalOtpClient>(), Is.Not.Null);
        });
    }

    [TestCase("Amm", typeof(AmmOtpClient))]
    [TestCase("AMM", typeof(AmmOtpClient))]
    [TestCase("Ip1", typeof(Ip1OtpClient))]
    [TestCase("iP1", typeof(Ip1OtpClient))]
    [TestCase("NinetyNineDigital", typeof(NinetyNineDigitalOtpClient))]
    [TestCase("99digital", typeof(NinetyNineDigitalOtpClient))]
    public void AddOtpClient_ConfigurationProvider_ResolvesThatProvider(string providerName, Type expected)
    {
        var configuration = Config(
            ("Otp:Provider", providerName),
            ("Otp:Amm:AuthKey", "k"), ("Otp:Amm:AuthSecret", "s"),
            ("Otp:Ip1:AccountId", "ip1-1"), ("Otp:Ip1:ApiKey", "k"),
            ("Otp:NinetyNineDigital:ApiKey", "k"), ("Otp:NinetyNineDigital:Sender", "Contoso"));
        var services = new ServiceCollection();
        services.AddOtpClient(configuration.GetSection("Otp"));
        using var provider = services.BuildServiceProvider();
        Assert.That(provider.GetRequiredService<IOtpClient>(), Is.InstanceOf(expected));
    }

    [Test]
    public void AddOtpClient_EnvironmentVariables_AreBound()
    {
        var key = "Otp" + Guid.NewGuid().ToString("N")[..8];
        Environment.SetEnvironmentVariable($"{key}__Provider", "Amm");
        Environment.SetEnvironmentVariable($"{key}__Amm__AuthKey", "env-key");
        Environment.SetEnvironmentVariable($"{key}__Amm__AuthSecret", "env-secret");
        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
            var services = new ServiceCollection();
            services.AddOtpClient(configuration.GetSection(key));
            using var provider = services.BuildServiceProvider();
            var options = provider.GetRequiredService<IOptionsMonitor<AmmOptions>>().Get("OtpClients.AMM");
            Assert.That((options.AuthKey, options.AuthSecret), Is.EqualTo(("env-key", "env-secret")));
        }
        finally
        {
            Environment.SetEnvironmentVariable($"{key}__Provider", null);
            Environment.SetEnvironmentVariable($"{key}__Amm__AuthKey", null);
            Environment.SetEnvironmentVariable($"{key}__Amm__AuthSecret", null);
        }
    }

    [Test]
    public void AddOtpClient_Keyed_ResolvesWithItsKeyBesideTheDefault()
    {
        var services = new ServiceCollection();
        services.AddOtpClient(otp => otp.UseAmm(o => { o.AuthKey = "k"; o.AuthSecret = "s"; }));
        services.AddOtpClient("backup", otp => otp.UseIp1(o => { o.AccountId = "ip1-1"; o.ApiKey = "k"; }));
        using var provider = services.BuildServiceProvider();
        Assert.Multiple(() =>
        {
            Assert.That(provider.GetRequiredService<IOtpClient>(), Is.InstanceOf<AmmOtpClient>());
            Assert.That(provider.GetRequiredKeyedService<IOtpClient>("backup"), Is.InstanceOf<Ip1OtpClient>());
            Assert.That(provider.GetRequiredKeyedService<Ip1OtpClient>("backup"), Is.Not.Null);
            Assert.That(provider.GetService<Ip1OtpClient>(), Is.Null, "the keyed registration does not leak into the default one");
        });
    }

    [Test]
    public async Task AddOtpClient_HttpClientBuilder_AddsHandlersToTheProviderClient()
    {
        using var server = ProviderStandIn.Start();
        server.Answer(Endpoints.AmmSend, Reply.Json(200, "{\"verify_id\": \"v\"}"));
        var counter = new CountingHandler();
        var services = new ServiceCollection();
        services.AddOtpClient(otp => otp.UseAmm(o => { o.AuthKey = "k"; o.AuthSecret = "s"; o.BaseAddress = server.BaseAddress(); }).AddHttpMessageHandler(() => counter));
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IOtpClient>().SendAsync(new OtpSendRequest("+393481234567"));

        Assert.That(counter.Count, Is.EqualTo(1));
    }

    [Test]
    public void AddOtpClient_Misuse_ThrowsNamingTheProblem()
    {
        var services = new ServiceCollection();
        Assert.Multiple(() =>
        {
            Assert.That(() => services.AddOtpClient(_ => { }), Throws.InvalidOperationException.With.Message.Contains("UseAmm"));
            Assert.That(() => new ServiceCollection().AddOtpClient(otp => { otp.UseAmm(_ => { }); otp.UseAmm(_ => { }); }), Throws.InvalidOperationException.With.Message.Contains("already configured"));
            Assert.That(() => new ServiceCollection().AddOtpClient(otp => { otp.UseAmm(_ => { }); otp.UseFailover("Amm", "Ip1"); }), Throws.InvalidOperationException.With.Message.Contains("UseIp1"));
            Assert.That(() => new ServiceCollection().AddOtpClient(otp => otp.UseFailover("Twilio")), Throws.ArgumentException.With.Message.Contains("Twilio"));
            Assert.That(() => new ServiceCollection().AddOtpClient(Config().GetSection("Otp")), Throws.InvalidOperationException.With.Message.Contains("Otp:Provider is required"));
            Assert.That(() => new ServiceCollection().AddOtpClient(Config(("Otp:Provider", "Twilio")).GetSection("Otp")), Throws.InvalidOperationException.With.Message.Contains("Twilio"));
            Assert.That(() => new ServiceCollection().AddOtpClient((Action<OtpClientBuilder>)null!), Throws.ArgumentNullException);
            Assert.That(() => ((IServiceCollection)null!).AddOtpClient(_ => { }), Throws.ArgumentNullException);
            Assert.That(() => new ServiceCollection().AddOtpClient(" ", _ => { }), Throws.ArgumentException);
        });

        var twice = new ServiceCollection();
        twice.AddOtpClient(otp => otp.UseAmm(_ => { }));
        Assert.That(() => twice.AddOtpClient(otp => otp.UseAmm(_ => { })), Throws.InvalidOperationException.With.Message.Contains("already registered"));
    }

    public static IEnumerable<TestCaseData> InvalidOptions()
    {
        static TestCaseData Case(Action<OtpClientBuilder> configure, string message, string name) => new TestCaseData(configure, message).SetArgDisplayNames(name);
        yield return Case(otp => otp.UseAmm(o => o.AuthSecret = "s"), "Amm.AuthKey is required.", "amm key");
        yield return Case(otp => otp.UseAmm(o => o.AuthKey = "k"), "Amm.AuthSecret is required.", "amm secret");
        yield return Case(otp => otp.UseIp1(o => o.ApiKey = "k"), "Ip1.AccountId is required.", "ip1 account");
        yield return Case(otp => otp.UseIp1(o => o.AccountId = "a"), "Ip1.ApiKey is required.", "ip1 key");
        yield return Case(otp => otp.UseNinetyNineDigital(o => o.Sender = "S"), "NinetyNineDigital.ApiKey is required.", "99 key");
        yield return Case(otp => otp.UseNinetyNineDigital(o => o.ApiKey = "k"), "NinetyNineDigital.Sender is required", "99 sender");
        yield return Case(otp => otp.UseAmm(o => { o.AuthKey = "k"; o.AuthSecret = "s"; o.BaseAddress = new Uri("http://api.amm.cloud/"); }), "Amm.BaseAddress must use https", "http");
        yield return Case(otp => otp.UseAmm(o => { o.AuthKey = "k"; o.AuthSecret = "s"; o.AttemptTimeout = TimeSpan.Zero; }), "Amm.AttemptTimeout must be positive.", "attempt zero");
        yield return Case(otp => otp.UseAmm(o => { o.AuthKey = "k"; o.AuthSecret = "s"; o.TotalTimeout = TimeSpan.FromSeconds(-1); }), "Amm.TotalTimeout must be positive.", "total negative");
        yield return Case(otp => otp.UseIp1(o => { o.AccountId = "a"; o.ApiKey = "k"; o.AttemptTimeout = TimeSpan.FromMinutes(2); }), "Ip1.AttemptTimeout must not exceed Ip1.TotalTimeout.", "attempt > total");
        yield return Case(otp => otp.UseAmm(o => { o.AuthKey = "k"; o.AuthSecret = "s"; o.MaxRetryAttempts = 11; }), "Amm.MaxRetryAttempts must be between 0 and 10.", "retries");
        yield return Case(otp => otp.UseAmm(o => { o.AuthKey = "k"; o.AuthSecret = "s"; o.MaxRetry = 21; }), "Amm.MaxRetry must be between 1 and 20.", "amm max retry");
        yield return Case(otp => otp.UseAmm(o => { o.AuthKey = "k"; o.AuthSecret = "s"; o.CodeLength = 7; }), "Amm.CodeLength must be between 4 and 6.", "amm code length");
        yield return Case(otp => otp.UseAmm(o => { o.AuthKey = "k"; o.AuthSecret = "s"; o.MessageTemplate = "no code"; }), "Amm.MessageTemplate", "amm template");
        yield return Case(otp => otp.UseIp1(o => { o.AccountId = "a"; o.ApiKey = "k"; o.CodeLength = 2; }), "Ip1.CodeLength must be between 3 and 25.", "ip1 code length");
        yield return Case(otp => otp.UseIp1(o => { o.AccountId = "a"; o.ApiKey = "k"; o.CircuitBreaker.FailureRatio = 0; }), "Ip1.CircuitBreaker.FailureRatio", "breaker ratio");
        yield return Case(otp => otp.UseNinetyNineDigital(o => { o.ApiKey = "k"; o.Sender = "S"; o.CheckPath = "verify"; }), "NinetyNineDigital.CheckPath", "99 path");
    }

    [TestCaseSource(nameof(InvalidOptions))]
    public async Task AddOtpClient_InvalidOptions_FailAtStartNamingTheSetting(Action<OtpClientBuilder> configure, string message)
    {
        var failure = await StartFailureAsync(configure);
        Assert.That(failure, Does.Contain(message));
    }

    [Test]
    public void AddOtpClient_InsecureHttpWithOptIn_IsAccepted()
    {
        var services = new ServiceCollection();
        services.AddOtpClient(otp => otp.UseAmm(o => { o.AuthKey = "k"; o.AuthSecret = "s"; o.BaseAddress = new Uri("http://amm.internal/"); o.AllowInsecureHttp = true; }));
        using var provider = services.BuildServiceProvider();
        Assert.That(provider.GetRequiredService<IOtpClient>(), Is.InstanceOf<AmmOtpClient>());
    }

    [Test]
    public void AddOtpClient_InvalidOptionsWithoutHost_FailOnFirstResolve()
    {
        var services = new ServiceCollection();
        services.AddOtpClient(otp => otp.UseAmm(o => o.AuthKey = "k"));
        using var provider = services.BuildServiceProvider();
        Assert.That(() => provider.GetRequiredService<IOtpClient>(), Throws.TypeOf<OptionsValidationException>().With.Message.Contains("Amm.AuthSecret is required."));
    }
}
