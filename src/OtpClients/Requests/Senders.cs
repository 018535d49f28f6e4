namespace OtpClients;

/// <summary>Sender (originator) checks shared by the providers: an alphanumeric name or a phone number.</summary>
internal static class Senders
{
    /// <summary>The longest alphanumeric sender GSM allows.</summary>
    public const int MaxAlphanumericLength = 11;

    /// <summary>The longest numeric sender accepted (E.164 digits plus room for a local prefix).</summary>
    public const int MaxNumericLength = 16;

    /// <summary>
    /// Checks a sender: either a phone number (digits, optionally a leading <c>+</c>, which is dropped) of 3 to
    /// <see cref="MaxNumericLength"/> digits, or 1 to <see cref="MaxAlphanumericLength"/> ASCII letters, digits and
    /// spaces with at least one letter.
    /// </summary>
    public static OtpError? Check(string sender, string provider, out string wire, out bool isNumeric)
    {
        wire = sender;
        isNumeric = false;
        var text = sender.AsSpan();
        if (text.IsEmpty || text.IsWhiteSpace())
        {
            return Invalid("is empty", provider);
        }

        if (text != text.Trim())
        {
            return Invalid("has leading or trailing spaces", provider);
        }

        var digits = text.StartsWith("+") ? text[1..] : text;
        if (!digits.IsEmpty && !digits.ContainsAnyExceptInRange('0', '9'))
        {
            if (digits.Length is < 3 or > MaxNumericLength)
            {
                return Invalid($"as a phone number must have 3 to {MaxNumericLength} digits", provider);
            }

            wire = digits.ToString();
            isNumeric = true;
            return null;
        }

        if (text.Length > MaxAlphanumericLength)
        {
            return Invalid($"as a name must be at most {MaxAlphanumericLength} characters (was {text.Length})", provider);
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != ' ')
            {
                return Invalid("as a name may hold only ASCII letters, digits and spaces", provider);
            }
        }

        return null;
    }

    private static OtpError Invalid(string problem, string provider) =>
        new(OtpErrorCode.InvalidSender, $"{nameof(OtpSendRequest.Sender)} {problem} for {provider}.");
}
