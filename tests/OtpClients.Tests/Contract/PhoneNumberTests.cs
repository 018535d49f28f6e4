namespace OtpClients.Tests.Contract;

public sealed class PhoneNumberTests
{
    private static readonly string TenThousand = new('1', 10_000);

    public static IEnumerable<TestCaseData> ValidNumbers()
    {
        static TestCaseData Case(string input, string e164) => new TestCaseData(input, e164).SetArgDisplayNames(Printable(input));
        yield return Case("+393481234567", "+393481234567");
        yield return Case("+39 348 123 4567", "+393481234567");
        yield return Case("0039-348-1234567", "+393481234567");
        yield return Case("0039 348 1234567", "+393481234567");
        yield return Case("(+46) 70 123 45 67", "+46701234567");
        yield return Case("+46.70.123.45.67", "+46701234567");
        yield return Case("+46/70/1234567", "+46701234567");
        yield return Case("  +972 50 123 4567  ", "+972501234567");
        yield return Case("+972-50-123-4567", "+972501234567");
        yield return Case("00972501234567", "+972501234567");
        yield return Case("+44 (0)20 7946 0958", "+442079460958");
        yield return Case("+1 (415) 555-2671", "+14155552671");
        yield return Case("+1\u00A0415\u00A0555\u00A02671", "+14155552671");            // no-break spaces
        yield return Case("+1\u2011415\u2011555\u20112671", "+14155552671");            // non-breaking hyphens
        yield return Case("+1\u2013415\u2013555\u20132671", "+14155552671");            // en dashes
        yield return Case("\t+39 348 1234567\n", "+393481234567");
        yield return Case("+\u0669\u0667\u0662\u0665\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667", "+972501234567"); // Arabic-Indic digits
        yield return Case("+\uFF13\uFF19\uFF13\uFF14\uFF18\uFF11\uFF12\uFF13\uFF14\uFF15\uFF16\uFF17", "+393481234567"); // full-width digits
        yield return Case("+12345678", "+12345678");                                     // 8 digits: the minimum
        yield return Case("+123456789012345", "+123456789012345");                       // 15 digits: the maximum
        yield return Case("+39 06 1234 5678", "+390612345678");                          // Italian landline keeps its 0
    }

    public static IEnumerable<TestCaseData> InvalidNumbers()
    {
        static TestCaseData Case(string? input, string expectedFragment) => new TestCaseData(input, expectedFragment).SetArgDisplayNames(input is null ? "null" : Printable(input));
        yield return Case(null, "required");
        yield return Case("", "empty");
        yield return Case("   ", "empty");
        yield return Case("\t\n", "empty");
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
        yield return Case("+39", "too short");
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
    public void TryParse_ValidInput_ReturnsE164(string input, string e164)
    {
        Assert.That(PhoneNumber.TryParse(input, out var number, out var error), Is.True, error);
        Assert.Multiple(() =>
        {
            Assert.That(number!.E164, Is.EqualTo(e164));
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
            Assert.That(error, Does.Not.Contain("348123"), "The message must not echo the input.");
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
    [TestCase("+12345678", "+12***678")]
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
    [TestCase("+97501234567")]
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
