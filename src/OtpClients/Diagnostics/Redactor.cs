namespace OtpClients.Diagnostics;

/// <summary>Removes secrets from text that came from a provider before it goes into an error message.</summary>
internal static class Redactor
{
    /// <summary>The most characters of provider text kept in a message.</summary>
    public const int MaxProviderTextLength = 200;

    /// <summary>The fewest digits of a run that is taken for a phone number and masked, whoever's number it is.</summary>
    public const int MinPhoneDigits = 7;

    /// <summary>
    /// Returns <paramref name="text"/> with every occurrence of each secret (a code, a credential, a number form)
    /// replaced by <c>***</c>, every run of <see cref="MinPhoneDigits"/> or more digits (spaces, dashes, dots, slashes
    /// and parentheses between them, a leading <c>+</c>: a phone number in any form) replaced by <c>***</c>, control and
    /// format characters replaced by spaces and the length capped; or <see langword="null"/> when nothing is left.
    /// </summary>
    public static string? Clean(string? text, ReadOnlySpan<string?> secrets)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (text.Length > MaxProviderTextLength * 4)
        {
            text = text[..(MaxProviderTextLength * 4)];
        }

        foreach (var secret in secrets)
        {
            if (!string.IsNullOrEmpty(secret) && secret.Length >= 3)
            {
                text = text.Replace(secret, "***", StringComparison.OrdinalIgnoreCase);
            }
        }

        text = MaskDigitRuns(text);
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsControl(chars[i]) || char.GetUnicodeCategory(chars[i]) == System.Globalization.UnicodeCategory.Format)
            {
                chars[i] = ' ';
            }
        }

        text = new string(chars).Trim();
        if (text.Length > MaxProviderTextLength)
        {
            text = string.Concat(text.AsSpan(0, MaxProviderTextLength), "…");
        }

        return text.Length == 0 ? null : text;
    }

    private static string MaskDigitRuns(string text)
    {
        if (text.AsSpan().IndexOfAnyInRange('0', '9') < 0)
        {
            return text;
        }

        var builder = new System.Text.StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                builder.Append(text[i++]);
                continue;
            }

            // A run: digits, with single separators between digits.
            var start = i;
            var digits = 0;
            var end = i;
            while (i < text.Length)
            {
                if (char.IsAsciiDigit(text[i]))
                {
                    digits++;
                    i++;
                    end = i;
                }
                else if (IsSeparator(text[i]) && i + 1 < text.Length && (char.IsAsciiDigit(text[i + 1]) || IsSeparator(text[i + 1]) && i + 2 < text.Length && char.IsAsciiDigit(text[i + 2])))
                {
                    i++;
                }
                else
                {
                    break;
                }
            }

            if (digits >= MinPhoneDigits)
            {
                if (builder.Length > 0 && builder[^1] == '+')
                {
                    builder.Length--;
                }

                builder.Append("***");
            }
            else
            {
                builder.Append(text, start, end - start);
            }

            i = end;
        }

        return builder.ToString();
    }

    private static bool IsSeparator(char c) => c is ' ' or '-' or '.' or '/' or '(' or ')';
}
