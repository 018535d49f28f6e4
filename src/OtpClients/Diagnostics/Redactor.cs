namespace OtpClients.Diagnostics;

/// <summary>Removes secrets from text that came from a provider before it goes into an error message.</summary>
internal static class Redactor
{
    /// <summary>The most characters of provider text kept in a message.</summary>
    public const int MaxProviderTextLength = 200;

    /// <summary>
    /// Returns <paramref name="text"/> with every occurrence of each secret replaced by <c>***</c>, control characters
    /// replaced by spaces and the length capped, or <see langword="null"/> when nothing is left.
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
}
