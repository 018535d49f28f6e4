using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace OtpClients;

/// <summary>
/// An international phone number in E.164 form, parsed from what people type, with the conversions the
/// providers need and a masked form for logs.
/// </summary>
/// <remarks>
/// <para>
/// Accepted: a leading <c>+</c> or <c>00</c> before the country code; spaces (any Unicode white space), dashes,
/// dots, slashes and parentheses between digits (<c>+39 348 123 4567</c>, <c>0039-348-1234567</c>,
/// <c>(+46) 70 123 45 67</c>); a trunk zero written as <c>(0)</c> after the country code
/// (<c>+44 (0)20 7946 0958</c>); decimal digits of any script, read as ASCII digits. The result has 8 to 15
/// digits and a country code that does not start with 0.
/// </para>
/// <para>
/// Rejected, with a message naming the problem: <see langword="null"/>, empty or white space, letters,
/// invisible formatting characters (bidi marks, zero-width spaces), a missing country code, too few or too
/// many digits, more than <see cref="MaxInputLength"/> characters. Messages never repeat the input.
/// </para>
/// <para>
/// <see cref="ToString"/> returns the masked form (<c>+39*******567</c>); use <see cref="E164"/> for the full number.
/// </para>
/// </remarks>
public sealed class PhoneNumber : IEquatable<PhoneNumber>
{
    /// <summary>The fewest digits (country code included) a number may have.</summary>
    public const int MinDigits = 8;

    /// <summary>The most digits (country code included) a number may have, as E.164 allows.</summary>
    public const int MaxDigits = 15;

    /// <summary>The longest input, in characters, that is parsed at all; longer input is rejected at once.</summary>
    public const int MaxInputLength = 64;

    private const string IsraelCountryCode = "972";

    private PhoneNumber(string digits)
    {
        Digits = digits;
        E164 = "+" + digits;
    }

    /// <summary>Gets the number in E.164 form: <c>+</c> followed by the country code and the subscriber number (<c>+393481234567</c>).</summary>
    public string E164 { get; }

    /// <summary>Gets the number as MSISDN digits, without <c>+</c> (<c>393481234567</c>): the form iP1 and AMM take.</summary>
    public string Digits { get; }

    /// <summary>Gets the masked form for logs: <c>+</c>, the first two digits, stars, the last three digits (<c>+39*******567</c>).</summary>
    public string Masked => MaskDigits(Digits);

    /// <summary>Gets a value indicating whether the number is Israeli (country code 972).</summary>
    public bool IsIsraeli => Digits.StartsWith(IsraelCountryCode, StringComparison.Ordinal);

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
        [NotNullWhen(false)] out string? error)
    {
        result = null;
        if (value is null)
        {
            error = "The phone number is required.";
            return false;
        }

        if (value.Length > MaxInputLength)
        {
            error = $"The phone number is too long: more than {MaxInputLength} characters.";
            return false;
        }

        Span<char> digits = stackalloc char[MaxInputLength];
        var count = 0;
        var plus = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var digit = CharUnicodeInfo.GetDecimalDigitValue(c);
            if (digit >= 0)
            {
                digits[count++] = (char)('0' + digit);
                continue;
            }

            if (c == '+')
            {
                if (plus || count > 0)
                {
                    error = "The phone number has a '+' that is not at its start.";
                    return false;
                }

                plus = true;
                continue;
            }

            if (c == '(' && count > 0 && i + 2 < value.Length && value[i + 1] == '0' && value[i + 2] == ')')
            {
                // A trunk zero written after the country code, as in "+44 (0)20 7946 0958": not dialled internationally.
                i += 2;
                continue;
            }

            if (c is '-' or '.' or '(' or ')' or '/' || char.IsWhiteSpace(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.DashPunctuation)
            {
                continue;
            }

            error = CharUnicodeInfo.GetUnicodeCategory(c) switch
            {
                UnicodeCategory.Format => "The phone number contains invisible formatting characters (such as bidi marks or zero-width spaces).",
                UnicodeCategory.Control => "The phone number contains control characters.",
                _ when char.IsLetter(c) => "The phone number contains letters; only digits, '+', spaces, dashes, dots and parentheses are allowed.",
                _ => $"The phone number contains an unsupported character at position {i + 1}; only digits, '+', spaces, dashes, dots and parentheses are allowed.",
            };
            return false;
        }

        if (count == 0)
        {
            error = "The phone number is empty: it has no digits.";
            return false;
        }

        var start = 0;
        if (!plus)
        {
            if (count > 2 && digits[0] == '0' && digits[1] == '0')
            {
                start = 2;
            }
            else
            {
                error = "The phone number has no country code: start it with '+' or '00' (for example +44 20 7946 0958).";
                return false;
            }
        }

        var length = count - start;
        if (length < MinDigits)
        {
            error = $"The phone number is too short: it has {length} digits with the country code, and needs {MinDigits} to {MaxDigits}.";
            return false;
        }

        if (length > MaxDigits)
        {
            error = $"The phone number is too long: it has {length} digits with the country code, and E.164 allows at most {MaxDigits}.";
            return false;
        }

        if (digits[start] == '0')
        {
            error = "The phone number's country code cannot start with 0.";
            return false;
        }

        result = new PhoneNumber(new string(digits.Slice(start, length)));
        error = null;
        return true;
    }

    /// <summary>Masks a phone number for logs, whether or not it parses.</summary>
    /// <param name="value">A phone number as typed.</param>
    /// <returns>The masked number (<c>+39*******567</c>), or <c>***</c> when <paramref name="value"/> does not parse.</returns>
    public static string Mask(string? value) => TryParse(value, out var number) ? number.Masked : "***";

    /// <summary>Gets the number as MSISDN digits without <c>+</c>, the form iP1 and AMM take (<c>393481234567</c>).</summary>
    /// <returns>The digits.</returns>
    public string ToMsisdn() => Digits;

    /// <summary>Gets an Israeli number in local form, the form 99digital takes (<c>+972501234567</c> → <c>0501234567</c>).</summary>
    /// <param name="local">The local form, when the number is Israeli.</param>
    /// <returns><see langword="true"/> when the number is Israeli.</returns>
    public bool TryGetIsraeliLocal([NotNullWhen(true)] out string? local)
    {
        if (!IsIsraeli)
        {
            local = null;
            return false;
        }

        local = string.Concat("0", Digits.AsSpan(IsraelCountryCode.Length));
        return true;
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

    private static string MaskDigits(string digits) =>
        string.Create(digits.Length + 1, digits, static (span, d) =>
        {
            span[0] = '+';
            for (var i = 0; i < d.Length; i++)
            {
                span[i + 1] = i < 2 || i >= d.Length - 3 ? d[i] : '*';
            }
        });
}
