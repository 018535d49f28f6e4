using System.Text;

namespace OtpClients.Messages;

/// <summary>How an SMS text is encoded on the air.</summary>
public enum SmsEncoding
{
    /// <summary>The GSM 7-bit default alphabet and its extension table (3GPP TS 23.038): 160 septets in one segment, 153 per part after that.</summary>
    Gsm7,

    /// <summary>UCS-2 (UTF-16 code units): 70 in one segment, 67 per part after that. One character outside GSM-7 makes the whole text UCS-2.</summary>
    Ucs2,
}

/// <summary>What an SMS text costs: its encoding, its length in that encoding's units, and its segments (what operators bill).</summary>
/// <remarks>Measured by <see cref="SmsSegments.Measure(string)"/>, allocating nothing; the characters that forced UCS-2 are listed on demand.</remarks>
public readonly struct SmsMeasure : IEquatable<SmsMeasure>
{
    private readonly string? text;
    private readonly int firstUcs2Index;

    internal SmsMeasure(string text, SmsEncoding encoding, int units, int segments, int firstUcs2Index)
    {
        this.text = text;
        Encoding = encoding;
        Units = units;
        Segments = segments;
        this.firstUcs2Index = firstUcs2Index;
    }

    /// <summary>Gets the encoding the text needs: <see cref="SmsEncoding.Gsm7"/> when every character is in the GSM 7-bit alphabet or its extension table.</summary>
    public SmsEncoding Encoding { get; }

    /// <summary>Gets the text's length in units of its encoding: septets for GSM-7 (a character of the extension table, <c>€ [ ] { } ^ ~ | \</c> or the form feed, counts 2), UTF-16 code units for UCS-2.</summary>
    public int Units { get; }

    /// <summary>Gets the number of SMS segments: one up to 160 septets (GSM-7) or 70 units (UCS-2), then parts of 153 or 67 that never split an escape pair or a surrogate pair. An empty text is one segment.</summary>
    public int Segments { get; }

    /// <summary>Gets the first character that forced UCS-2, or <see langword="null"/> for a GSM-7 text.</summary>
    public Rune? FirstUcs2Character => firstUcs2Index < 0 || text is null ? null : Rune.GetRuneAt(text, firstUcs2Index);

    /// <summary>Gets the characters that forced UCS-2, each once, in the order they first appear (empty for a GSM-7 text). Allocates: ask only when reporting.</summary>
    public IReadOnlyList<Rune> Ucs2Characters
    {
        get
        {
            if (firstUcs2Index < 0 || text is null)
            {
                return [];
            }

            var found = new List<Rune>();
            foreach (var rune in text.AsSpan(firstUcs2Index).EnumerateRunes())
            {
                if (!SmsSegments.IsGsm7(rune) && !found.Contains(rune))
                {
                    found.Add(rune);
                }
            }

            return found;
        }
    }

    /// <summary>Describes the measure for an error message: encoding, units, segments and the first character that forced UCS-2.</summary>
    /// <returns>For example <c>UCS-2, 75 units, 2 segments (first character outside GSM-7: 'ש' U+05E9)</c>.</returns>
    public override string ToString()
    {
        var encoding = Encoding == SmsEncoding.Gsm7 ? "GSM-7" : "UCS-2";
        var units = Encoding == SmsEncoding.Gsm7 ? "septets" : "units";
        var described = $"{encoding}, {Units} {units}, {Segments} segment{(Segments == 1 ? string.Empty : "s")}";
        return FirstUcs2Character is { } first
            ? $"{described} (first character outside GSM-7: '{first}' U+{first.Value:X4})"
            : described;
    }

    /// <inheritdoc />
    public bool Equals(SmsMeasure other) => Encoding == other.Encoding && Units == other.Units && Segments == other.Segments && firstUcs2Index == other.firstUcs2Index;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SmsMeasure other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Encoding, Units, Segments, firstUcs2Index);

    /// <summary>Compares two measures.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(SmsMeasure left, SmsMeasure right) => left.Equals(right);

    /// <summary>Compares two measures.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(SmsMeasure left, SmsMeasure right) => !left.Equals(right);
}

/// <summary>
/// Measures SMS texts as operators bill them (3GPP TS 23.038 and 23.040): the GSM 7-bit default alphabet and its
/// extension table taken exactly (<c>Ç</c> is in it, <c>ç</c> and <c>È</c> are not), segments of 160/153 septets or
/// 70/67 UCS-2 units. Also replaces look-alike characters (<see cref="SmartEncode(string)"/>) when that makes a text GSM-7.
/// </summary>
public static class SmsSegments
{
    /// <summary>Septets in a single GSM-7 segment.</summary>
    public const int Gsm7Single = 160;

    /// <summary>Septets in each part of a multi-part GSM-7 message (7 go to the concatenation header).</summary>
    public const int Gsm7Part = 153;

    /// <summary>UCS-2 units in a single segment.</summary>
    public const int Ucs2Single = 70;

    /// <summary>UCS-2 units in each part of a multi-part UCS-2 message.</summary>
    public const int Ucs2Part = 67;

    /// <summary>The GSM 7-bit default alphabet (3GPP TS 23.038 §6.2.1), without the escape code.</summary>
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    /// <summary>The default extension table (§6.2.1.1): each costs an escape and itself.</summary>
    private const string Extension = "\f^{}\\[~]|€";

    /// <summary>Septets per character below U+0400: 0 outside GSM-7, 1 in the default alphabet, 2 in the extension table.</summary>
    private static readonly byte[] Cost = BuildCost();

    /// <summary>Look-alike characters and their GSM-7 stand-ins (empty: dropped).</summary>
    private static readonly Dictionary<char, string> LookAlikes = new()
    {
        ['\u2018'] = "'", ['\u2019'] = "'", ['\u201A'] = "'", ['\u201B'] = "'", ['\u2032'] = "'", ['\u02BC'] = "'", ['\u00B4'] = "'", ['\u0060'] = "'",
        ['\u201C'] = "\"", ['\u201D'] = "\"", ['\u201E'] = "\"", ['\u201F'] = "\"", ['\u2033'] = "\"", ['\u00AB'] = "\"", ['\u00BB'] = "\"",
        ['\u2010'] = "-", ['\u2011'] = "-", ['\u2012'] = "-", ['\u2013'] = "-", ['\u2014'] = "-", ['\u2015'] = "-", ['\u2212'] = "-", ['\u00AD'] = string.Empty,
        ['\u2026'] = "...", ['\u2022'] = "-", ['\u00B7'] = ".",
        ['\u00A0'] = " ", ['\u2000'] = " ", ['\u2001'] = " ", ['\u2002'] = " ", ['\u2003'] = " ", ['\u2004'] = " ", ['\u2005'] = " ", ['\u2006'] = " ",
        ['\u2007'] = " ", ['\u2008'] = " ", ['\u2009'] = " ", ['\u200A'] = " ", ['\u202F'] = " ", ['\u205F'] = " ", ['\u3000'] = " ", ['\t'] = " ",
        ['\u200B'] = string.Empty, ['\u200C'] = string.Empty, ['\u200D'] = string.Empty, ['\u2060'] = string.Empty, ['\uFEFF'] = string.Empty,
        ['\u2028'] = "\n", ['\u2029'] = "\n",
    };

    /// <summary>Measures a text: its encoding, units and segments. Allocates nothing.</summary>
    /// <param name="text">The text exactly as it will be sent (the code in it, every line).</param>
    /// <returns>The measure.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public static SmsMeasure Measure(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var septets = 0;
        var span = text.AsSpan();
        for (var i = 0; i < span.Length; i++)
        {
            var cost = CostOf(span[i]);
            if (cost == 0)
            {
                return MeasureUcs2(text, i);
            }

            septets += cost;
        }

        if (septets <= Gsm7Single)
        {
            return new SmsMeasure(text, SmsEncoding.Gsm7, septets, 1, -1);
        }

        // Parts of 153 septets; an escape pair that would straddle a boundary moves whole to the next part.
        int parts = 1, used = 0;
        foreach (var c in span)
        {
            var cost = CostOf(c);
            if (used + cost > Gsm7Part)
            {
                parts++;
                used = 0;
            }

            used += cost;
        }

        return new SmsMeasure(text, SmsEncoding.Gsm7, septets, parts, -1);
    }

    /// <summary>Tells whether a character is in the GSM 7-bit default alphabet or its extension table.</summary>
    /// <param name="rune">The character.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public static bool IsGsm7(Rune rune) => rune.IsBmp && CostOf((char)rune.Value) != 0;

    /// <summary>
    /// Replaces look-alike characters (curly quotes and apostrophes, dashes, the ellipsis, non-breaking and other wide
    /// spaces, zero-width characters, line and paragraph separators) with GSM-7 ones, when that makes the whole text
    /// GSM-7. A text that needs UCS-2 anyway (Hebrew, Arabic, an emoji) is returned as written, since replacing would
    /// save nothing.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <returns>The GSM-7 text, or <paramref name="text"/> itself.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public static string SmartEncode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (CostOf(text[i]) == 0)
            {
                if (!LookAlikes.ContainsKey(text[i]))
                {
                    return text; // a character with no GSM-7 stand-in: UCS-2 whatever is replaced
                }

                first = first < 0 ? i : first;
            }
        }

        if (first < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        builder.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (CostOf(c) == 0)
            {
                builder.Append(LookAlikes[c]);
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static SmsMeasure MeasureUcs2(string text, int firstUcs2Index)
    {
        var units = text.Length;
        if (units <= Ucs2Single)
        {
            return new SmsMeasure(text, SmsEncoding.Ucs2, units, 1, firstUcs2Index);
        }

        // Parts of 67 units; a surrogate pair that would straddle a boundary moves whole to the next part.
        int parts = 1, used = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var width = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            if (used + width > Ucs2Part)
            {
                parts++;
                used = 0;
            }

            used += width;
            i += width - 1;
        }

        return new SmsMeasure(text, SmsEncoding.Ucs2, units, parts, firstUcs2Index);
    }

    private static int CostOf(char c) => c < Cost.Length ? Cost[c] : c == '€' ? 2 : 0;

    private static byte[] BuildCost()
    {
        var cost = new byte[0x400];
        foreach (var c in Basic)
        {
            cost[c] = 1;
        }

        foreach (var c in Extension)
        {
            if (c < cost.Length)
            {
                cost[c] = 2;
            }
        }

        return cost;
    }
}
