using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace OtpClients;

/// <summary>Reading what people type: separators, prefixes, trunk zeros and regions, before libphonenumber parses it.</summary>
public sealed partial class PhoneNumber
{
    /// <summary>Gets the masked form for logs: <c>+</c>, the first two digits, stars, the last three digits (<c>+39*******567</c>).</summary>
    public string Masked => MaskDigits(Digits);

    /// <summary>
    /// Checks the characters (what libphonenumber would read as letters of a vanity number, or skip silently, is
    /// refused here) and returns <c>+</c> and the ASCII digits, with a <c>(0)</c> trunk marker removed.
    /// </summary>
    private static bool TryNormalize(string? value, bool allowNational, [NotNullWhen(true)] out string? normalized, out bool national, out bool trunkMarker, [NotNullWhen(false)] out string? error)
    {
        normalized = null;
        national = false;
        trunkMarker = false;
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
                // A trunk zero written after the country code, as in "+44 (0)20 7946 0958": not dialled internationally
                // where the country has a trunk prefix; refused after parsing where it has none.
                trunkMarker = true;
                i += 2;
                continue;
            }

            // Spaces (of any width) separate groups; tabs, line breaks and other control or line-separator characters do
            // not belong in a number and are refused, whatever char.IsWhiteSpace says of them.
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (c is '-' or '.' or '(' or ')' or '/' || category is UnicodeCategory.SpaceSeparator or UnicodeCategory.DashPunctuation)
            {
                continue;
            }

            error = category switch
            {
                UnicodeCategory.Format => "The phone number contains invisible formatting characters (such as bidi marks or zero-width spaces).",
                UnicodeCategory.Control => "The phone number contains control characters (such as tabs or line breaks).",
                UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => "The phone number contains line or paragraph separators.",
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
            else if (allowNational)
            {
                // A national number (trunk prefix, or another international access code): the region's rules read it.
                if (count > MaxDigits + 1)
                {
                    error = $"The phone number is too long: E.164 allows at most {MaxDigits} digits.";
                    return false;
                }

                national = true;
                normalized = new string(digits[..count]);
                error = null;
                return true;
            }
            else
            {
                error = "The phone number has no country code: start it with '+' or '00' (for example +44 20 7946 0958).";
                return false;
            }
        }

        if (digits[start] == '0')
        {
            error = "The phone number's country code cannot start with 0.";
            return false;
        }

        if (count - start > MaxDigits + 1)
        {
            // One more than E.164 allows leaves room for a bare trunk prefix (+972 050…), which libphonenumber strips.
            error = $"The phone number is too long: E.164 allows at most {MaxDigits} digits.";
            return false;
        }

        normalized = string.Concat("+", digits[start..count]);
        error = null;
        return true;
    }

    /// <summary>The region code, upper case, when libphonenumber knows it.</summary>
    private static string CheckRegion(string region)
    {
        var upper = region.Trim().ToUpperInvariant();
        return Util.GetSupportedRegions().Contains(upper)
            ? upper
            : throw new ArgumentException($"'{region}' is not a region code libphonenumber knows: use an ISO 3166-1 alpha-2 code such as IL or IT.", "defaultRegion");
    }

    private static string NationalDigits(string formatted)
    {
        Span<char> digits = stackalloc char[formatted.Length];
        var count = 0;
        foreach (var c in formatted)
        {
            if (char.IsAsciiDigit(c))
            {
                digits[count++] = c;
            }
        }

        return new string(digits[..count]);
    }

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
