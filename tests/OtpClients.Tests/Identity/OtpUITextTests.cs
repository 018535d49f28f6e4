using OtpClients.Guard;
using OtpClients.Identity.UI;

namespace OtpClients.Tests.Identity;

/// <summary>The Identity pages' sentences: the cooldown's wording, and the phone hint and error that agree with each other and with <c>DefaultRegion</c>.</summary>
public sealed class OtpUITextTests
{
    [Test]
    public void Describe_Cooldown_SaysACodeWasSentAMomentAgoNotTooMany()
    {
        var text = OtpUIText.Describe(new OtpError(OtpErrorCode.RateLimited, "x") { ProviderCode = OtpGuardRules.Cooldown, RetryAfter = TimeSpan.FromSeconds(12.2) });

        Assert.That(text, Is.EqualTo("A code was texted to this phone a moment ago. You can ask for a new one in 13 seconds."));
    }

    [Test]
    public void Describe_OtherRateLimit_KeepsTooMany() =>
        Assert.That(OtpUIText.Describe(new OtpError(OtpErrorCode.RateLimited, "x") { ProviderCode = OtpGuardRules.Number, RetryAfter = TimeSpan.FromSeconds(1) }), Is.EqualTo("Too many codes were requested. Try again in 1 second."));

    [Test]
    public void PhoneHint_DefaultRegionIsrael_ShowsANationalExample()
    {
        var hint = OtpUIText.PhoneHint("IL");

        Assert.Multiple(() =>
        {
            Assert.That(hint, Does.Match(@"^Such as 05\d-\d{3}-\d{4}, or with the country code\. We text a code to it\.$"));
            Assert.That(hint, Does.Not.Contain("With the country code"));
        });
    }

    [Test]
    public void PhoneHint_NoDefaultRegion_AsksForTheCountryCode() =>
        Assert.That(OtpUIText.PhoneHint(null), Is.EqualTo("With the country code, such as +972 52 555 0001. We text a code to it."));

    [Test]
    public void PhoneError_NationalNumberWithoutDefaultRegion_UsesTheHintsExample()
    {
        Assert.That(PhoneNumber.TryParse("052-555-0001", out _, out var problem), Is.False);

        Assert.That(OtpUIText.PhoneError(problem!, null), Is.EqualTo("Add the country code, such as +972 52 555 0001."));
    }
}
