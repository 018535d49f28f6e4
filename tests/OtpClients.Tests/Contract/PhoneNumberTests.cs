namespace OtpClients.Tests.Contract;

public sealed class PhoneNumberTests
{
    private static readonly string TenThousand = new('1', 10_000);

    /// <summary>What people type, with the E.164 form, the ISO region and the national form (99digital's wire form for IL).</summary>
    public static IEnumerable<TestCaseData> ValidNumbers()
    {
        static TestCaseData Case(string input, string e164, string? region, string national) =>
            new TestCaseData(input, e164, region, national).SetArgDisplayNames(Printable(input));

        // The providers' documentation examples (some of them ranges libphonenumber calls "not valid": still accepted).
        yield return Case("+393481234567", "+393481234567", "IT", "3481234567");
        yield return Case("+393470000000", "+393470000000", "IT", "3470000000");
        yield return Case("+393480000000", "+393480000000", "IT", "3480000000");
        yield return Case("+46701234567", "+46701234567", "SE", "0701234567");
        yield return Case("+972501234567", "+972501234567", "IL", "0501234567");

        // Italy: no trunk prefix, a landline keeps its 0.
        yield return Case("+39 348 123 4567", "+393481234567", "IT", "3481234567");
        yield return Case("0039-348-1234567", "+393481234567", "IT", "3481234567");
        yield return Case("0039 348 1234567", "+393481234567", "IT", "3481234567");
        yield return Case("\u2003+39\u2009348\u3000123 4567\u00A0", "+393481234567", "IT", "3481234567"); // spaces of other widths
        yield return Case("+39 06 1234 5678", "+390612345678", "IT", "0612345678");

        // Sweden.
        yield return Case("(+46) 70 123 45 67", "+46701234567", "SE", "0701234567");
        yield return Case("+46.70.123.45.67", "+46701234567", "SE", "0701234567");
        yield return Case("+46/70/1234567", "+46701234567", "SE", "0701234567");
        yield return Case("+46 (0)70-123 45 67", "+46701234567", "SE", "0701234567");
        yield return Case("+46 070 123 45 67", "+46701234567", "SE", "0701234567");

        // Israel: the trunk 0 written after the country code is not dialled internationally.
        yield return Case("  +972 50 123 4567  ", "+972501234567", "IL", "0501234567");
        yield return Case("+972-50-123-4567", "+972501234567", "IL", "0501234567");
        yield return Case("00972501234567", "+972501234567", "IL", "0501234567");
        yield return Case("+972 050-123-4567", "+972501234567", "IL", "0501234567");
        yield return Case("00972 050 123 4567", "+972501234567", "IL", "0501234567");
        yield return Case("+972 (0)50 123 4567", "+972501234567", "IL", "0501234567");
        yield return Case("+972 2 123 4567", "+97221234567", "IL", "021234567");
        yield return Case("+972-54-765-4321", "+972547654321", "IL", "0547654321");

        // United Kingdom.
        yield return Case("+44 (0)20 7946 0958", "+442079460958", "GB", "02079460958");
        yield return Case("+44 020 7946 0958", "+442079460958", "GB", "02079460958");
        yield return Case("+44 7700 900123", "+447700900123", "GB", "07700900123");

        // North America: one country code, the region from the area code.
        yield return Case("+1 (415) 555-2671", "+14155552671", "US", "4155552671");
        yield return Case("+1\u00A0415\u00A0555\u00A02671", "+14155552671", "US", "4155552671");            // no-break spaces
        yield return Case("+1\u2011415\u2011555\u20112671", "+14155552671", "US", "4155552671");            // non-breaking hyphens
        yield return Case("+1\u2013415\u2013555\u20132671", "+14155552671", "US", "4155552671");            // en dashes
        yield return Case("+1 212 736 5000", "+12127365000", "US", "2127365000");
        yield return Case("+1 604 555 0123", "+16045550123", "CA", "6045550123");

        // Germany, France, Spain, the Netherlands, Switzerland, Austria, Belgium.
        yield return Case("+49 30 12345678", "+493012345678", "DE", "03012345678");
        yield return Case("+49 (0)171 1234567", "+491711234567", "DE", "01711234567");
        yield return Case("+49 0171 1234567", "+491711234567", "DE", "01711234567");
        yield return Case("+33 6 12 34 56 78", "+33612345678", "FR", "0612345678");
        yield return Case("+33 (0)1 23 45 67 89", "+33123456789", "FR", "0123456789");
        yield return Case("+33 06 12 34 56 78", "+33612345678", "FR", "0612345678");
        yield return Case("+34 612 34 56 78", "+34612345678", "ES", "612345678");
        yield return Case("+31 6 12345678", "+31612345678", "NL", "0612345678");
        yield return Case("+31 06 12345678", "+31612345678", "NL", "0612345678");
        yield return Case("+41 79 123 45 67", "+41791234567", "CH", "0791234567");
        yield return Case("+43 664 1234567", "+436641234567", "AT", "06641234567");
        yield return Case("+32 470 12 34 56", "+32470123456", "BE", "0470123456");

        // The rest of Europe.
        yield return Case("+353 85 123 4567", "+353851234567", "IE", "0851234567");
        yield return Case("+358 40 1234567", "+358401234567", "FI", "0401234567");
        yield return Case("+47 412 34 567", "+4741234567", "NO", "41234567");
        yield return Case("+45 20 12 34 56", "+4520123456", "DK", "20123456");
        yield return Case("+48 512 345 678", "+48512345678", "PL", "512345678");
        yield return Case("+351 912 345 678", "+351912345678", "PT", "912345678");
        yield return Case("+30 691 234 5678", "+306912345678", "GR", "6912345678");
        yield return Case("+7 912 345 67 89", "+79123456789", "RU", "89123456789");

        // Elsewhere.
        yield return Case("+61 4 1234 5678", "+61412345678", "AU", "0412345678");
        yield return Case("+61 04 1234 5678", "+61412345678", "AU", "0412345678");
        yield return Case("+91 98765 43210", "+919876543210", "IN", "09876543210");
        yield return Case("+55 11 91234-5678", "+5511912345678", "BR", "11912345678");
        yield return Case("+81 90-1234-5678", "+819012345678", "JP", "09012345678");
        yield return Case("+81 090-1234-5678", "+819012345678", "JP", "09012345678");
        yield return Case("+52 55 1234 5678", "+525512345678", "MX", "5512345678");
        yield return Case("+27 82 123 4567", "+27821234567", "ZA", "0821234567");
        yield return Case("+86 138 0013 8000", "+8613800138000", "CN", "13800138000");
        yield return Case("+800 1234 5678", "+80012345678", null, "12345678");                                 // non-geographic: no region

        // Digits of other scripts.
        yield return Case("+\u0669\u0667\u0662\u0665\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667", "+972501234567", "IL", "0501234567"); // Arabic-Indic
        yield return Case("+\uFF13\uFF19\uFF13\uFF14\uFF18\uFF11\uFF12\uFF13\uFF14\uFF15\uFF16\uFF17", "+393481234567", "IT", "3481234567"); // full-width
    }

    public static IEnumerable<TestCaseData> InvalidNumbers()
    {
        static TestCaseData Case(string? input, string expectedFragment) => new TestCaseData(input, expectedFragment).SetArgDisplayNames(input is null ? "null" : Printable(input));
        yield return Case(null, "required");
        yield return Case("", "empty");
        yield return Case("   ", "empty");
        yield return Case("\t\n", "control");
        yield return Case("\t+39 348 1234567\n", "control");                          // tabs and line breaks are not spaces
        yield return Case("+39 348\n1234567", "control");
        yield return Case("+39 348\r\n1234567", "control");
        yield return Case("+39 348\t1234567", "control");
        yield return Case("+39 348\v1234567", "control");
        yield return Case("+39 348\f1234567", "control");
        yield return Case("+39 348\u00851234567", "control");                         // next line
        yield return Case("+39 348\u20281234567", "line or paragraph separators");    // line separator
        yield return Case("+39 348\u20291234567", "line or paragraph separators");    // paragraph separator
        yield return Case("+\uFF19\uFF17\uFF12\n52\t555\u2028 0001", "control");     // one account's spelling in the review
        yield return Case("+39 (0)6 1234 5678", "keep that 0");                        // Italy has no trunk prefix: not +39 6…
        yield return Case("3481234567", "country code");
        yield return Case("0501234567", "country code");
        yield return Case("348 123 4567", "country code");
        yield return Case("+39 348 ABC 4567", "letters");
        yield return Case("+39 348 123 456a", "letters");
        yield return Case("phone", "letters");
        yield return Case("+39 348 １２３ ｘ", "letters");
        yield return Case("+\u200E393481234567", "invisible");                         // left-to-right mark
        yield return Case("+39348\u202E1234567", "invisible");                         // right-to-left override
        yield return Case("+39348\u200B1234567", "invisible");                         // zero-width space
        yield return Case("+39348\u00001234567", "control");
        yield return Case("+1234567", "too short");
        yield return Case("+12345678", "too short");                                    // a US local number without its area code
        yield return Case("+39", "too short");
        yield return Case("+39 12", "too short");
        yield return Case("+44 20", "too short");
        yield return Case("+49 1", "too short");
        yield return Case("+972 50 12", "too short");
        yield return Case("+1 415 555 267112", "too long");
        yield return Case("+123456789012345", "too long");
        yield return Case("+46 70 123 45 67 89 01", "too long");
        yield return Case("+999 1234567", "country code does not exist");
        yield return Case("+0 1234567", "cannot start with 0");
        yield return Case("0039", "country code");
        yield return Case("+1234567890123456", "too long");
        yield return Case("+39 348 123 4567 #12", "unsupported character");
        yield return Case("+39*348*1234567", "unsupported character");
        yield return Case("39+3481234567", "'+'");
        yield return Case("++393481234567", "'+'");
        yield return Case("+0393481234567", "cannot start with 0");
        yield return Case("000393481234567", "cannot start with 0");
        yield return Case(TenThousand, "too long");
        yield return Case("+" + new string('1', 64), "too long");
    }

    [TestCaseSource(nameof(ValidNumbers))]
    public void TryParse_ValidInput_ReturnsE164RegionAndNationalForm(string input, string e164, string? region, string national)
    {
        Assert.That(PhoneNumber.TryParse(input, out var number, out var error), Is.True, error);
        Assert.Multiple(() =>
        {
            Assert.That(number!.E164, Is.EqualTo(e164));
            Assert.That(number.RegionCode, Is.EqualTo(region));
            Assert.That(number.National, Is.EqualTo(national));
            Assert.That(number.CountryCode.ToString(System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(e164[1..].Substring(0, number.CountryCode.ToString(System.Globalization.CultureInfo.InvariantCulture).Length)));
            Assert.That(number.Digits, Is.EqualTo(e164[1..]));
            Assert.That(number.ToMsisdn(), Is.EqualTo(e164[1..]));
            Assert.That(PhoneNumber.Parse(input), Is.EqualTo(number));
        });
    }

    [TestCaseSource(nameof(InvalidNumbers))]
    public void TryParse_InvalidInput_ReturnsMessageNamingTheProblem(string? input, string expectedFragment)
    {
        Assert.That(PhoneNumber.TryParse(input, out var number, out var error), Is.False);
        Assert.Multiple(() =>
        {
            Assert.That(number, Is.Null);
            Assert.That(error, Does.Contain(expectedFragment).IgnoreCase);
            Assert.That(error, Does.Not.Contain("348123").And.Not.Contain("4155").And.Not.Contain("12345"), "The message must not echo the input.");
            Assert.That(error!, Has.Length.LessThan(200));
        });
    }

    [TestCaseSource(nameof(InvalidNumbers))]
    public void Parse_InvalidInput_Throws(string? input, string expectedFragment)
    {
        if (input is null)
        {
            Assert.Throws<ArgumentNullException>(() => PhoneNumber.Parse(input!));
        }
        else
        {
            Assert.That(() => PhoneNumber.Parse(input), Throws.TypeOf<FormatException>().With.Message.Contains(expectedFragment).IgnoreCase);
        }
    }

    [TestCase("+393481234567", "+39*******567")]
    [TestCase("+4520123456", "+45*****456")]
    [TestCase("+972501234567", "+97*******567")]
    public void Masked_KeepsCountryPrefixAndLastThreeDigits(string input, string masked)
    {
        var number = PhoneNumber.Parse(input);
        Assert.Multiple(() =>
        {
            Assert.That(number.Masked, Is.EqualTo(masked));
            Assert.That(number.ToString(), Is.EqualTo(masked));
            Assert.That(PhoneNumber.Mask(input), Is.EqualTo(masked));
        });
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("3481234567")]
    [TestCase("not a number")]
    public void Mask_Unparsable_ReturnsStars(string? input) => Assert.That(PhoneNumber.Mask(input), Is.EqualTo("***"));

    [TestCase("+972501234567", "0501234567")]
    [TestCase("+972 2 123 4567", "021234567")]
    [TestCase("00972-54-765-4321", "0547654321")]
    public void TryGetIsraeliLocal_IsraeliNumber_ReturnsLocalForm(string input, string local)
    {
        var number = PhoneNumber.Parse(input);
        Assert.Multiple(() =>
        {
            Assert.That(number.IsIsraeli, Is.True);
            Assert.That(number.TryGetIsraeliLocal(out var actual), Is.True);
            Assert.That(actual, Is.EqualTo(local));
            Assert.That(number.ToIsraeliLocal(), Is.EqualTo(local));
        });
    }

    [TestCase("+393481234567")]
    [TestCase("+46701234567")]
    [TestCase("+14155552671")]
    public void TryGetIsraeliLocal_OtherCountry_ReturnsFalse(string input)
    {
        var number = PhoneNumber.Parse(input);
        Assert.Multiple(() =>
        {
            Assert.That(number.IsIsraeli, Is.False);
            Assert.That(number.TryGetIsraeliLocal(out var local), Is.False);
            Assert.That(local, Is.Null);
            Assert.That(() => number.ToIsraeliLocal(), Throws.InvalidOperationException);
        });
    }

    [TestCase("054-123-4567", "IL", "+972541234567")]
    [TestCase("0541234567", "il", "+972541234567")]
    [TestCase(" 050 123 4567 ", " IL ", "+972501234567")]
    [TestCase("+39 348 123 4567", "IL", "+393481234567")]
    [TestCase("0039 348 1234567", "IL", "+393481234567")]
    [TestCase("348 123 4567", "IT", "+393481234567")]
    [TestCase("06 1234 5678", "IT", "+390612345678")]
    [TestCase("070-123 45 67", "SE", "+46701234567")]
    [TestCase("011 44 20 7946 0958", "US", "+442079460958")]
    public void TryParse_NationalNumberWithDefaultRegion_ReturnsE164(string input, string region, string e164)
    {
        Assert.Multiple(() =>
        {
            Assert.That(PhoneNumber.TryParse(input, region, out var number, out var error), Is.True, error);
            Assert.That(number!.E164, Is.EqualTo(e164));
            Assert.That(PhoneNumber.Parse(input, region).E164, Is.EqualTo(e164));
        });
    }

    [TestCase("054-123", "IL", "too short")]
    [TestCase("054-abc-4567", "IL", "contains letters")]
    [TestCase("", "IL", "no digits")]
    [TestCase("05412345678901234567", "IL", "too long")]
    public void TryParse_BadNationalNumberWithDefaultRegion_ReturnsMessageNamingTheProblem(string input, string region, string fragment)
    {
        Assert.Multiple(() =>
        {
            Assert.That(PhoneNumber.TryParse(input, region, out var number, out var error), Is.False);
            Assert.That(number, Is.Null);
            Assert.That(error, Does.Contain(fragment));
            Assert.That(error, Does.Not.Contain("123"), "the message never repeats the input");
            Assert.That(() => PhoneNumber.Parse(input, region), Throws.TypeOf<FormatException>().With.Message.Contains(fragment));
        });
    }

    [Test]
    public void TryParse_NationalNumberWithoutDefaultRegion_SaysTheCountryCodeIsMissing()
    {
        Assert.Multiple(() =>
        {
            Assert.That(PhoneNumber.TryParse("054-123-4567", null, out _, out var error), Is.False);
            Assert.That(error, Does.Contain("no country code"));
        });
    }

    [TestCase("XX")]
    [TestCase("Israel")]
    [TestCase("")]
    public void TryParse_UnknownDefaultRegion_ThrowsNamingTheArgument(string region)
    {
        Assert.That(() => PhoneNumber.TryParse("054-123-4567", region, out _, out _), Throws.ArgumentException.With.Property("ParamName").EqualTo("defaultRegion"));
    }

    [Test]
    public void Equality_SameDigitsDifferentFormatting_AreEqual()
    {
        var a = PhoneNumber.Parse("+39 348 123 4567");
        var b = PhoneNumber.Parse("0039-348-1234567");
        Assert.Multiple(() =>
        {
            Assert.That(a, Is.EqualTo(b));
            Assert.That(a == b, Is.True);
            Assert.That(a != b, Is.False);
            Assert.That(a.GetHashCode(), Is.EqualTo(b.GetHashCode()));
            Assert.That(a == PhoneNumber.Parse("+393481234568"), Is.False);
        });
    }

    private static string Printable(string input) =>
        input.Length > 40 ? $"<{input.Length} chars>" : string.Concat(input.Select(c => c is < ' ' or > '~' ? $"\\u{(int)c:X4}" : c.ToString()));
}
