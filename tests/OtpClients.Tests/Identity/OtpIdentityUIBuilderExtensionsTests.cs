using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OtpClients.Identity;
using OtpClients.Identity.UI;

namespace OtpClients.Tests.Identity;

/// <summary>What <c>AddOtpIdentityUI</c> registers (the pages themselves run in the browser tests, on the template's app).</summary>
public sealed class OtpIdentityUIBuilderExtensionsTests
{
    private static ServiceProvider Build(Action<IdentityBuilder> identity)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        identity(services.AddIdentityCore<IdentityUser>());
        return services.BuildServiceProvider();
    }

    [Test]
    public void AddOtpIdentityUI_Default_RegistersTheTokenProviderAsPhone()
    {
        using var provider = Build(b => b.AddOtpIdentityUI());

        var tokens = provider.GetRequiredService<IOptions<IdentityOptions>>().Value.Tokens;
        Assert.Multiple(() =>
        {
            Assert.That(tokens.ProviderMap["Phone"].ProviderType, Is.EqualTo(typeof(OtpTokenProvider<IdentityUser>)));
            Assert.That(tokens.ChangePhoneNumberTokenProvider, Is.EqualTo("Phone"));
            var options = provider.GetRequiredService<IOptions<OtpIdentityUIOptions>>().Value;
            Assert.That(options.ProviderName, Is.EqualTo("Phone"));
            Assert.That(options.SmsFirstAtSignIn, Is.True);
            Assert.That(options.RecoveryCodeCount, Is.EqualTo(10));
        });
    }

    [Test]
    public void AddOtpIdentityUI_AfterAddOtpTokenProvider_RegistersTheProviderOnce()
    {
        var services = new ServiceCollection();
        var identity = services.AddIdentityCore<IdentityUser>().AddOtpTokenProvider(configure: o => o.DefaultRegion = "IL");
        var validators = services.Count(d => d.ServiceType == typeof(IValidateOptions<OtpTokenProviderOptions>));

        identity.AddOtpIdentityUI();

        Assert.That(services.Count(d => d.ServiceType == typeof(OtpTokenProvider<IdentityUser>)), Is.EqualTo(1));
        Assert.That(services.Count(d => d.ServiceType == typeof(IValidateOptions<OtpTokenProviderOptions>)), Is.EqualTo(validators), "the provider's checks and start-up warning are not added twice");
    }

    [Test]
    public void AddOtpIdentityUI_ProviderName_UsedByThePagesAndTheTokenProvider()
    {
        using var provider = Build(b => b.AddOtpIdentityUI(providerName: "Sms"));

        Assert.That(provider.GetRequiredService<IOptions<IdentityOptions>>().Value.Tokens.ProviderMap["Sms"].ProviderType, Is.EqualTo(typeof(OtpTokenProvider<IdentityUser>)));
        Assert.That(provider.GetRequiredService<IOptions<OtpIdentityUIOptions>>().Value.ProviderName, Is.EqualTo("Sms"));
    }

    [Test]
    public void AddOtpIdentityUI_NegativeRecoveryCodeCount_FailsNamingTheSetting()
    {
        using var provider = Build(b => b.AddOtpIdentityUI(o => o.RecoveryCodeCount = -1));

        var error = Assert.Throws<OptionsValidationException>(() => _ = provider.GetRequiredService<IOptions<OtpIdentityUIOptions>>().Value);
        Assert.That(error!.Message, Does.Contain("OtpIdentityUIOptions.RecoveryCodeCount"));
    }

    [Test]
    public void AddOtpIdentityUI_BadArguments_Throw()
    {
        var builder = new ServiceCollection().AddIdentityCore<IdentityUser>();

        Assert.Throws<ArgumentNullException>(() => OtpIdentityUIBuilderExtensions.AddOtpIdentityUI(null!));
        Assert.Throws<ArgumentException>(() => builder.AddOtpIdentityUI(providerName: string.Empty));
    }

    [Test]
    public void AddOtpIdentityUI_StockAuthenticatorPage_GetsTheSmsFirstFilter()
    {
        using var provider = Build(b => b.AddOtpIdentityUI());

        var conventions = provider.GetRequiredService<IOptions<RazorPagesOptions>>().Value.Conventions;
        Assert.That(conventions, Has.Count.EqualTo(1), "one page convention, for /Identity/Account/LoginWith2fa");
    }
}
