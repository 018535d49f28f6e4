namespace OtpClients.Tests.Contract;

public sealed class MessageTemplateTests
{
    public static IEnumerable<TestCaseData> ValidTemplates()
    {
        // template, iP1 MessageFormat, AMM text, 99digital message
        yield return new("Your code is {code}", "Your code is {0}", "Your code is ${verify_code}", "Your code is ##code##");
        yield return new("{code}", "{0}", "${verify_code}", "##code##");
        yield return new("{code} is your code", "{0} is your code", "${verify_code} is your code", "##code## is your code");
        yield return new("Code: {code}. Valid 5 min.", "Code: {0}. Valid 5 min.", "Code: ${verify_code}. Valid 5 min.", "Code: ##code##. Valid 5 min.");
        yield return new("Use {code} or {code}", "Use {0} or {0}", "Use ${verify_code} or ${verify_code}", "Use ##code## or ##code##");
        yield return new("{brand} code {code}", "{{brand}} code {0}", "{brand} code ${verify_code}", "{brand} code ##code##");
        yield return new("a{b}c {code}", "a{{b}}c {0}", "a{b}c ${verify_code}", "a{b}c ##code##");
        yield return new("{{code}}", "{{{0}}}", "{${verify_code}}", "{##code##}");
        yield return new("}{code}{", "}}{0}{{", "}${verify_code}{", "}##code##{");
        yield return new("{ {code} }", "{{ {0} }}", "{ ${verify_code} }", "{ ##code## }");
        yield return new("{Code} {code}", "{{Code}} {0}", "{Code} ${verify_code}", "{Code} ##code##");
        yield return new("{1} {code}", "{{1}} {0}", "{1} ${verify_code}", "{1} ##code##");
        yield return new("Il tuo codice è {code}", "Il tuo codice è {0}", "Il tuo codice è ${verify_code}", "Il tuo codice è ##code##");
        yield return new("הקוד שלך: {code}", "הקוד שלך: {0}", "הקוד שלך: ${verify_code}", "הקוד שלך: ##code##");
        yield return new("Line 1\nCode {code}\r\n\tEnd", "Line 1\nCode {0}\r\n\tEnd", "Line 1\nCode ${verify_code}\r\n\tEnd", "Line 1\nCode ##code##\r\n\tEnd");
        yield return new("$ {code} $", "$ {0} $", "$ ${verify_code} $", "$ ##code## $");
        yield return new("100% {code}", "100% {0}", "100% ${verify_code}", "100% ##code##");
        yield return new("# {code} #", "# {0} #", "# ${verify_code} #", "# ##code## #");
        yield return new("😀 {code}", "😀 {0}", "😀 ${verify_code}", "😀 ##code##");
        yield return new(new string('x', 994) + "{code}", new string('x', 994) + "{0}", new string('x', 994) + "${verify_code}", new string('x', 994) + "##code##");
    }

    public static IEnumerable<TestCaseData> InvalidTemplates()
    {
        yield return new TestCaseData(null, "empty").SetArgDisplayNames("null");
        yield return new TestCaseData("", "empty").SetArgDisplayNames("empty");
        yield return new TestCaseData("   ", "empty").SetArgDisplayNames("spaces");
        yield return new TestCaseData("\t\r\n", "empty").SetArgDisplayNames("whitespace");
        yield return new TestCaseData("Your code", "{code}").SetArgDisplayNames("no placeholder");
        yield return new TestCaseData("Your code is {Code}", "lower case").SetArgDisplayNames("capitalised");
        yield return new TestCaseData("Your code is { code }", "{code}").SetArgDisplayNames("spaced");
        yield return new TestCaseData("Your code is {code", "{code}").SetArgDisplayNames("unclosed");
        yield return new TestCaseData("Your code is code}", "{code}").SetArgDisplayNames("unopened");
        yield return new TestCaseData("Your code is {0}", "'{0}'").SetArgDisplayNames("iP1 placeholder");
        yield return new TestCaseData("Your code is ${verify_code}", "'${verify_code}'").SetArgDisplayNames("AMM placeholder");
        yield return new TestCaseData("Your code is ##code##", "'##code##'").SetArgDisplayNames("99digital placeholder");
        yield return new TestCaseData("{code} and {0}", "'{0}'").SetArgDisplayNames("mixed placeholders");
        yield return new TestCaseData("Code\u0000{code}", "control").SetArgDisplayNames("NUL");
        yield return new TestCaseData("Code\u0007{code}", "control").SetArgDisplayNames("bell");
        yield return new TestCaseData(new string('x', 995) + "{code}", "too long").SetArgDisplayNames("1001 chars");
        yield return new TestCaseData(new string('x', 10_000) + "{code}", "too long").SetArgDisplayNames("10000 chars");
    }

    [TestCaseSource(nameof(ValidTemplates))]
    public void TryParse_ValidTemplate_RendersForEachProvider(string template, string ip1, string amm, string ninetyNine)
    {
        Assert.That(MessageTemplate.TryParse(template, out var parsed, out var error), Is.True, error);
        Assert.Multiple(() =>
        {
            Assert.That(parsed!.Template, Is.EqualTo(template));
            Assert.That(parsed.ToString(), Is.EqualTo(template));
            Assert.That(parsed.ToIp1Format(), Is.EqualTo(ip1));
            Assert.That(parsed.ToAmmText(), Is.EqualTo(amm));
            Assert.That(parsed.ToNinetyNineDigitalMessage(), Is.EqualTo(ninetyNine));
        });
    }

    [TestCaseSource(nameof(ValidTemplates))]
    public void ToIp1Format_FormattedByIp1_GivesTheRenderedMessage(string template, string ip1, string amm, string ninetyNine)
    {
        var parsed = MessageTemplate.Parse(template);
        var formatted = string.Format(System.Globalization.CultureInfo.InvariantCulture, parsed.ToIp1Format(), "48213");
        Assert.That(formatted, Is.EqualTo(parsed.Render("48213")));
    }

    [TestCaseSource(nameof(InvalidTemplates))]
    public void TryParse_InvalidTemplate_ReturnsMessageNamingTheProblem(string? template, string expectedFragment)
    {
        Assert.That(MessageTemplate.TryParse(template, out var parsed, out var error), Is.False);
        Assert.Multiple(() =>
        {
            Assert.That(parsed, Is.Null);
            Assert.That(error, Does.Contain(expectedFragment));
        });
    }

    [TestCaseSource(nameof(InvalidTemplates))]
    public void Parse_InvalidTemplate_Throws(string? template, string expectedFragment)
    {
        if (template is null)
        {
            Assert.Throws<ArgumentNullException>(() => MessageTemplate.Parse(template!));
        }
        else
        {
            Assert.That(() => MessageTemplate.Parse(template), Throws.TypeOf<FormatException>().With.Message.Contains(expectedFragment));
        }
    }

    [Test]
    public void Render_ReplacesEveryPlaceholder()
    {
        Assert.That(MessageTemplate.Parse("{code} / {code}").Render("1234"), Is.EqualTo("1234 / 1234"));
    }
}
