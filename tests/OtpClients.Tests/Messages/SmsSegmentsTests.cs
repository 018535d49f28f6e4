using System.Text;
using OtpClients.Messages;

namespace OtpClients.Tests.Messages;

/// <summary>
/// <see cref="SmsSegments.Measure(string)"/> against the 3GPP tables (TS 23.038 alphabet and extension, TS 23.040
/// concatenation): 160/153 septets, 70/67 UCS-2 units, parts that never split an escape or a surrogate pair.
/// </summary>
public sealed class SmsSegmentsTests
{
    private const string Alef = "א";
    private const string Emoji = "😀"; // U+1F600: a surrogate pair, 2 UTF-16 units

    private static string Times(string s, int n) => string.Concat(Enumerable.Repeat(s, n));

    public static IEnumerable<TestCaseData> Table()
    {
        TestCaseData Row(string text, SmsEncoding encoding, int units, int segments, string name) =>
            new TestCaseData(text, encoding, units, segments).SetName("Measure_" + name);

        yield return Row(string.Empty, SmsEncoding.Gsm7, 0, 1, "Empty_OneGsmSegment");
        yield return Row(Times("a", 160), SmsEncoding.Gsm7, 160, 1, "Gsm160_OneSegment");
        yield return Row(Times("a", 161), SmsEncoding.Gsm7, 161, 2, "Gsm161_TwoSegments");
        yield return Row(Times("a", 306), SmsEncoding.Gsm7, 306, 2, "Gsm306_TwoParts");
        yield return Row(Times("a", 307), SmsEncoding.Gsm7, 307, 3, "Gsm307_ThreeParts");
        yield return Row(Times(Alef, 70), SmsEncoding.Ucs2, 70, 1, "Ucs70_OneSegment");
        yield return Row(Times(Alef, 71), SmsEncoding.Ucs2, 71, 2, "Ucs71_TwoSegments");
        yield return Row(Times(Alef, 134), SmsEncoding.Ucs2, 134, 2, "Ucs134_TwoParts");
        yield return Row(Times(Alef, 135), SmsEncoding.Ucs2, 135, 3, "Ucs135_ThreeParts");
        yield return Row(Times("a", 80) + Times("€", 40), SmsEncoding.Gsm7, 160, 1, "Gsm80PlusFortyEuro_160Septets");
        yield return Row(Times("a", 81) + Times("€", 40), SmsEncoding.Gsm7, 161, 2, "Gsm81PlusFortyEuro_161Septets");
        // 152 + € (2) + 152 = 306 septets, two parts by arithmetic; but the escape pair may not straddle the boundary,
        // so € opens the second part, which then fills at 153 and one 'a' is left for a third.
        yield return Row(Times("a", 152) + "€" + Times("a", 152), SmsEncoding.Gsm7, 306, 3, "EscapeAtPartBoundary_MovesWholeToTheNextPart");
        yield return Row(Times("a", 151) + "€" + Times("a", 153), SmsEncoding.Gsm7, 306, 2, "EscapeEndingAtPartBoundary_Fits");
        // 66 units + 😀 (2) + 66 = 134 units, two parts by arithmetic; the pair at units 67–68 moves whole to part 2.
        yield return Row(Times(Alef, 66) + Emoji + Times(Alef, 66), SmsEncoding.Ucs2, 134, 3, "SurrogatePairAtUnit67_MovesWholeToTheNextPart");
        yield return Row(Times(Alef, 65) + Emoji + Times(Alef, 67), SmsEncoding.Ucs2, 134, 2, "SurrogatePairEndingAtUnit67_Fits");
        yield return Row("{}[]~|^\\€\f", SmsEncoding.Gsm7, 20, 1, "ExtensionTable_TwoSeptetsEach");
        yield return Row("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà", SmsEncoding.Gsm7, 65, 1, "DefaultAlphabet_OneSeptetEach");
        yield return Row("Ç", SmsEncoding.Gsm7, 1, 1, "CapitalCCedilla_IsGsm");
        yield return Row("ç", SmsEncoding.Ucs2, 1, 1, "SmallCCedilla_IsNotGsm");
        yield return Row("È", SmsEncoding.Ucs2, 1, 1, "CapitalEGrave_IsNotGsm");
        yield return Row("`", SmsEncoding.Ucs2, 1, 1, "Backtick_IsNotGsm");
        yield return Row("Il tuo codice è 123456", SmsEncoding.Gsm7, 22, 1, "Italian_IsGsm");
        yield return Row("Din kod är 123456. Dela den inte med någon.", SmsEncoding.Gsm7, 43, 1, "SwedishWithRingA_IsGsm");
        yield return Row("Din kod är 123456", SmsEncoding.Gsm7, 17, 1, "Swedish_IsGsm");
        yield return Row("הקוד שלך הוא 123456", SmsEncoding.Ucs2, 19, 1, "Hebrew_IsUcs2");
        yield return Row("رمزك هو 123456", SmsEncoding.Ucs2, 14, 1, "Arabic_IsUcs2");
        yield return Row("Your code is 123456 – don’t share it…", SmsEncoding.Ucs2, 37, 1, "EnDashAndCurlyApostrophe_AreUcs2");
    }

    [TestCaseSource(nameof(Table))]
    public void Measure_Text_HasThe3gppEncodingUnitsAndSegments(string text, SmsEncoding encoding, int units, int segments)
    {
        var measure = SmsSegments.Measure(text);

        Assert.Multiple(() =>
        {
            Assert.That(measure.Encoding, Is.EqualTo(encoding));
            Assert.That(measure.Units, Is.EqualTo(units));
            Assert.That(measure.Segments, Is.EqualTo(segments));
            Assert.That(measure.FirstUcs2Character is null, Is.EqualTo(encoding == SmsEncoding.Gsm7));
        });
    }

    [Test]
    public void Measure_Ucs2Text_NamesTheCharactersThatForcedIt()
    {
        var measure = SmsSegments.Measure("Kod: 12 – ok – ‘x’ " + Emoji);

        Assert.Multiple(() =>
        {
            Assert.That(measure.FirstUcs2Character, Is.EqualTo(new Rune('–')));
            Assert.That(measure.Ucs2Characters, Is.EqualTo(new[] { new Rune('–'), new Rune('‘'), new Rune('’'), Rune.GetRuneAt(Emoji, 0) }));
            Assert.That(measure.ToString(), Does.StartWith("UCS-2, 21 units, 1 segment (first character outside GSM-7: '–' U+2013)"));
        });
    }

    [Test]
    public void Measure_Null_Throws() => Assert.That(() => SmsSegments.Measure(null!), Throws.ArgumentNullException);

    [TestCase("Your code is 123456 – don’t share it…", "Your code is 123456 - don't share it...")]
    [TestCase("“Code”\u00A0123\u200B456 — «ok»", "\"Code\" 123456 - \"ok\"")]
    [TestCase("Your code is 123456", "Your code is 123456")]
    public void SmartEncode_LookAlikes_BecomeGsm7(string text, string expected)
    {
        var encoded = SmsSegments.SmartEncode(text);

        Assert.Multiple(() =>
        {
            Assert.That(encoded, Is.EqualTo(expected));
            Assert.That(SmsSegments.Measure(encoded).Encoding, Is.EqualTo(SmsEncoding.Gsm7));
        });
    }

    [TestCase("הקוד – 123456")]
    [TestCase("Code – 123 " + Emoji)]
    public void SmartEncode_TextThatNeedsUcs2Anyway_GoesAsWritten(string text) =>
        Assert.That(SmsSegments.SmartEncode(text), Is.SameAs(text));
}
