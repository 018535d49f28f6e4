using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using PhoneNumbers;

namespace OtpClients;

/// <summary>
/// An international phone number in E.164 form, parsed from what people type by Google's libphonenumber
/// (libphonenumber-csharp), with the wire forms the providers need, the number's region, and a masked form for logs.
/// </summary>
/// <remarks>
/// <para>
/// Accepted: a leading <c>+</c> or <c>00</c> before the country code; spaces (any Unicode space separator), dashes,
/// dots, slashes and parentheses between digits (<c>+39 348 123 4567</c>, <c>0039-348-1234567</c>,
/// <c>(+46) 70 123 45 67</c>); a trunk prefix written after the country code, bare or as <c>(0)</c>
/// (<c>+972 050-123-4567</c> is <c>+972501234567</c>, <c>+44 (0)20 7946 0958</c> is <c>+442079460958</c>), as
/// libphonenumber strips it where the country's metadata has one (Italy has none: <c>+39 06…</c> keeps its 0, and
/// <c>+39 (0)6…</c> is refused rather than read as another number);
/// decimal digits of any script, read as ASCII digits.
/// </para>
/// <para>
/// Rejected, with a message naming the problem: <see langword="null"/>, empty or white space, letters (no vanity
/// numbers), invisible formatting characters (bidi marks, zero-width spaces), control characters (tabs, line breaks,
/// <c>U+0085</c>) and line or paragraph separators (<c>U+2028</c>, <c>U+2029</c>), a missing or
/// unknown country code, more than <see cref="MaxInputLength"/> characters, more than <see cref="MaxDigits"/>
/// digits, and any number whose length no number of its country can have (libphonenumber's
/// <c>IsPossibleNumber</c>). A number the metadata calls "not valid" but possible (a fictional or newly allocated
/// range, the providers' own documentation examples) is accepted: whether it exists is the provider's to say.
/// Messages never repeat the input.
/// </para>
/// <para>
/// <see cref="ToString"/> returns the masked form (<c>+39*******567</c>); use <see cref="E164"/> for the full number.
/// </para>
/// </remarks>
public sealed partial class PhoneNumber : IEquatable<PhoneNumber>
{
    /// <summary>The most digits (country code included) a number may have, as E.164 allows.</summary>
    public const int MaxDigits = 15;

    /// <summary>The longest input, in characters, that is parsed at all; longer input is rejected at once.</summary>
    public const int MaxInputLength = 64;

    private const int IsraelCountryCode = 972;

    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    private readonly PhoneNumbers.PhoneNumber parsed;

    private PhoneNumber(PhoneNumbers.PhoneNumber number)
    {
        parsed = number;
        CountryCode = number.CountryCode;
        E164 = Util.Format(number, PhoneNumberFormat.E164);
        Digits = E164[1..];
        National = NationalDigits(Util.Format(number, PhoneNumberFormat.NATIONAL));
        var region = Util.GetRegionCodeForNumber(number) ?? Util.GetRegionCodeForCountryCode(number.CountryCode);
        RegionCode = region is { Length: 2 } && region != "ZZ" ? region : null;
    }

    /// <summary>Gets the number in E.164 form: <c>+</c> followed by the country code and the subscriber number (<c>+393481234567</c>).</summary>
    public string E164 { get; }

    /// <summary>Gets the number as MSISDN digits, without <c>+</c> (<c>393481234567</c>): the form most providers take.</summary>
    public string Digits { get; }

    /// <summary>Gets the country calling code (<c>39</c>, <c>46</c>, <c>972</c>).</summary>
    public int CountryCode { get; }

    /// <summary>
    /// Gets the region of the number as an ISO 3166-1 alpha-2 code (<c>IT</c>, <c>SE</c>, <c>IL</c>), for routing and
    /// region rules. A number that libphonenumber places in no region (possible but not valid) gets the main region of
    /// its country code (<c>US</c> for <c>+1</c>); a non-geographic number (<c>+800</c>, <c>+882</c>) gets
    /// <see langword="null"/>.
    /// </summary>
    public string? RegionCode { get; }

    /// <summary>
    /// Gets the number in national form as digits only, with the country's trunk prefix where it has one
    /// (<c>+972501234567</c> → <c>0501234567</c>, <c>+442079460958</c> → <c>02079460958</c>), as libphonenumber's
    /// national format writes it.
    /// </summary>
    public string National { get; }

    /// <summary>Formats the number for people to read, internationally, as libphonenumber writes it: <c>+39 348 123 4567</c>.</summary>
    /// <returns>The formatted number.</returns>
    public string ToInternationalFormat() => Util.Format(parsed, PhoneNumberFormat.INTERNATIONAL);

    /// <summary>Formats the number for people to read, as its own country dials it: <c>052-555-0001</c>.</summary>
    /// <returns>The formatted number.</returns>
    public string ToNationalFormat() => Util.Format(parsed, PhoneNumberFormat.NATIONAL);

    /// <summary>An example mobile number of a region, from libphonenumber's metadata (for hints on forms).</summary>
    /// <param name="regionCode">The region (ISO 3166-1 alpha-2, such as <c>IL</c>).</param>
    /// <returns>The example, or <see langword="null"/> for a region without one.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="regionCode"/> is <see langword="null"/>.</exception>
    public static PhoneNumber? Example(string regionCode)
    {
        ArgumentNullException.ThrowIfNull(regionCode);
        var example = Util.GetExampleNumberForType(regionCode.ToUpperInvariant(), PhoneNumberType.MOBILE);
        return example is null ? null : new PhoneNumber(example);
    }

    /// <summary>
    /// Gets libphonenumber's type of the number (mobile, fixed line, premium rate, shared cost, …), computed on first use:
    /// <see cref="PhoneNumberType.UNKNOWN"/> for a number the metadata calls possible but not valid.
    /// </summary>
    internal PhoneNumberType NumberType => numberType ??= Util.GetNumberType(parsed);

    private PhoneNumberType? numberType;

    /// <summary>Gets a value indicating whether the number is Israeli (country code 972).</summary>
    public bool IsIsraeli => CountryCode == IsraelCountryCode;

    /// <summary>Parses a phone number.</summary>
    /// <param name="value">What the user typed.</param>
    /// <returns>The parsed number.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException"><paramref name="value"/> is not an international phone number; the message says why.</exception>
    public static PhoneNumber Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TryParse(value, out var result, out var error) ? result : throw new FormatException(error);
    }

    /// <summary>Tries to parse a phone number.</summary>
    /// <param name="value">What the user typed.</param>
    /// <param name="result">The parsed number, on success.</param>
    /// <returns><see langword="true"/> when <paramref name="value"/> is an international phone number.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, [NotNullWhen(true)] out PhoneNumber? result) =>
        TryParse(value, out result, out _);

    /// <summary>Tries to parse a phone number and says why it is not one.</summary>
    /// <param name="value">What the user typed.</param>
    /// <param name="result">The parsed number, on success.</param>
    /// <param name="error">On failure, a message naming the problem; it never repeats the input.</param>
    /// <returns><see langword="true"/> when <paramref name="value"/> is an international phone number.</returns>
    public static bool TryParse(
        [NotNullWhen(true)] string? value,
        [NotNullWhen(true)] out PhoneNumber? result,
        [NotNullWhen(false)] out string? error) =>
        TryParse(value, defaultRegion: null, out result, out error);

    /// <summary>Parses a phone number, reading one written without a country code as a number of <paramref name="defaultRegion"/>.</summary>
    /// <param name="value">What the user typed: international (<c>+972 54 123 4567</c>, <c>00972…</c>) or national (<c>054-123-4567</c>).</param>
    /// <param name="defaultRegion">
    /// The region (ISO 3166-1 alpha-2, such as <c>IL</c>) of numbers written without a country code, dialled as in that
    /// region (trunk prefix, international access code); <see langword="null"/>: only international numbers are accepted.
    /// </param>
    /// <returns>The parsed number.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="defaultRegion"/> is not a region libphonenumber knows.</exception>
    /// <exception cref="FormatException"><paramref name="value"/> is not a phone number; the message says why.</exception>
    public static PhoneNumber Parse(string value, string? defaultRegion)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TryParse(value, defaultRegion, out var result, out var error) ? result : throw new FormatException(error);
    }

    /// <summary>
    /// Tries to parse a phone number, reading one written without a country code as a number of
    /// <paramref name="defaultRegion"/>, and says why it is not one.
    /// </summary>
    /// <param name="value">What the user typed: international (<c>+972 54 123 4567</c>, <c>00972…</c>) or national (<c>054-123-4567</c>).</param>
    /// <param name="defaultRegion">
    /// The region (ISO 3166-1 alpha-2, such as <c>IL</c>) of numbers written without a country code, dialled as in that
    /// region (trunk prefix, international access code); <see langword="null"/>: only international numbers are accepted.
    /// </param>
    /// <param name="result">The parsed number, on success.</param>
    /// <param name="error">On failure, a message naming the problem; it never repeats the input.</param>
    /// <returns><see langword="true"/> when <paramref name="value"/> is a phone number.</returns>
    /// <exception cref="ArgumentException"><paramref name="defaultRegion"/> is not a region libphonenumber knows.</exception>
    public static bool TryParse(
        [NotNullWhen(true)] string? value,
        string? defaultRegion,
        [NotNullWhen(true)] out PhoneNumber? result,
        [NotNullWhen(false)] out string? error)
    {
        result = null;
        var region = defaultRegion is null ? null : CheckRegion(defaultRegion);
        if (value is not null && ParsedCache.TryGet(value, region, out result))
        {
            error = null;
            return true;
        }

        if (!TryNormalize(value, region is not null, out var normalized, out var national, out var trunkMarker, out error))
        {
            return false;
        }

        PhoneNumbers.PhoneNumber parsed;
        try
        {
            parsed = Util.Parse(normalized, national ? region : null);
        }
        catch (NumberParseException ex)
        {
            error = ex.ErrorType switch
            {
                ErrorType.INVALID_COUNTRY_CODE => "The phone number's country code does not exist.",
                ErrorType.TOO_SHORT_NSN or ErrorType.TOO_SHORT_AFTER_IDD => "The phone number is too short for its country.",
                ErrorType.TOO_LONG => $"The phone number is too long: E.164 allows at most {MaxDigits} digits.",
                _ when normalized.Length <= 4 => "The phone number is too short: it has no subscriber number after the country code.",
                _ => "The phone number is not a phone number.",
            };
            return false;
        }

        error = Util.IsPossibleNumberWithReason(parsed) switch
        {
            PhoneNumberUtil.ValidationResult.IS_POSSIBLE => null,
            PhoneNumberUtil.ValidationResult.IS_POSSIBLE_LOCAL_ONLY => "The phone number is too short: it is a local number without its area code.",
            PhoneNumberUtil.ValidationResult.INVALID_COUNTRY_CODE => "The phone number's country code does not exist.",
            PhoneNumberUtil.ValidationResult.TOO_SHORT => "The phone number is too short for its country: no number there has so few digits.",
            PhoneNumberUtil.ValidationResult.TOO_LONG => "The phone number is too long for its country: no number there has so many digits.",
            _ => "The phone number has a length that no number of its country has.",
        };
        if (error is not null)
        {
            return false;
        }

        if (trunkMarker && string.IsNullOrEmpty(Util.GetNddPrefixForRegion(Util.GetRegionCodeForCountryCode(parsed.CountryCode), true)))
        {
            // "+39 (0)6 …": Italy has no trunk prefix, its numbers keep the 0. Dropping it would text another number.
            error = $"The phone number has a '(0)' after the country code, but numbers of +{parsed.CountryCode.ToString(CultureInfo.InvariantCulture)} keep that 0 as part of the number: write it without the parentheses.";
            return false;
        }

        result = new PhoneNumber(parsed);
        ParsedCache.Add(value!, region, result);
        if (!string.Equals(value, result.E164, StringComparison.Ordinal))
        {
            ParsedCache.Add(result.E164, null, result); // the E.164 form comes next: the challenge of the check, the guard
        }

        return true;
    }

    /// <summary>Masks a phone number for logs, whether or not it parses.</summary>
    /// <param name="value">A phone number as typed.</param>
    /// <returns>The masked number (<c>+39*******567</c>), or <c>***</c> when <paramref name="value"/> does not parse.</returns>
    public static string Mask(string? value) => TryParse(value, out var number) ? number.Masked : "***";

    /// <summary>Gets the number as MSISDN digits without <c>+</c>, the form most providers take (<c>393481234567</c>).</summary>
    /// <returns>The digits.</returns>
    public string ToMsisdn() => Digits;

    /// <summary>Gets an Israeli number in local form, the form Israel-only providers take (<c>+972501234567</c> → <c>0501234567</c>).</summary>
    /// <param name="local">The local form (<see cref="National"/>), when the number is Israeli.</param>
    /// <returns><see langword="true"/> when the number is Israeli.</returns>
    public bool TryGetIsraeliLocal([NotNullWhen(true)] out string? local)
    {
        local = IsIsraeli ? National : null;
        return local is not null;
    }

    /// <summary>Gets an Israeli number in local form (<c>+972501234567</c> → <c>0501234567</c>).</summary>
    /// <returns>The local form.</returns>
    /// <exception cref="InvalidOperationException">The number is not Israeli.</exception>
    public string ToIsraeliLocal() =>
        TryGetIsraeliLocal(out var local) ? local : throw new InvalidOperationException("The phone number is not Israeli (+972).");

    /// <summary>Returns the masked form (<c>+39*******567</c>), so that a number never reaches a log by accident.</summary>
    /// <returns>The masked number.</returns>
    public override string ToString() => Masked;

    /// <inheritdoc />
    public bool Equals(PhoneNumber? other) => other is not null && string.Equals(Digits, other.Digits, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is PhoneNumber other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Digits);

    /// <summary>Compares two numbers by their digits.</summary>
    /// <param name="left">The first number.</param>
    /// <param name="right">The second number.</param>
    /// <returns><see langword="true"/> when both are the same number or both are <see langword="null"/>.</returns>
    public static bool operator ==(PhoneNumber? left, PhoneNumber? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Compares two numbers by their digits.</summary>
    /// <param name="left">The first number.</param>
    /// <param name="right">The second number.</param>
    /// <returns><see langword="true"/> when the numbers differ.</returns>
    public static bool operator !=(PhoneNumber? left, PhoneNumber? right) => !(left == right);

    /// <summary>
    /// The numbers parsed last, by the exact text and default region they were parsed from: one send or check parses the
    /// same text several times (the guard, the route, the provider) and a check parses the E.164 form its send produced.
    /// A fixed set of slots picked by the text's hash; a slot holds one immutable entry, replaced whole, so readers need
    /// no lock. A hit returns the same immutable <see cref="PhoneNumber"/> a parse would have built.
    /// </summary>
    private static class ParsedCache
    {
        private const int Slots = 256;
        private static readonly Entry?[] Entries = new Entry?[Slots];

        public static bool TryGet(string value, string? region, [NotNullWhen(true)] out PhoneNumber? number)
        {
            if (value.Length <= MaxInputLength && Volatile.Read(ref Entries[Slot(value)]) is { } entry
                && string.Equals(entry.Value, value, StringComparison.Ordinal) && string.Equals(entry.Region, region, StringComparison.Ordinal))
            {
                number = entry.Number;
                return true;
            }

            number = null;
            return false;
        }

        public static void Add(string value, string? region, PhoneNumber number) =>
            Volatile.Write(ref Entries[Slot(value)], new Entry(value, region, number));

        private static int Slot(string value) => string.GetHashCode(value, StringComparison.Ordinal) & (Slots - 1);

        private sealed record Entry(string Value, string? Region, PhoneNumber Number);
    }
}
