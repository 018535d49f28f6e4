using System.Diagnostics.CodeAnalysis;

namespace OtpClients.Identity;

/// <summary>
/// Normalises the phone number a user typed to the E.164 form the Identity integration stores and compares
/// (<c>+972525550001</c>), before <c>UserManager.SetPhoneNumberAsync</c>, <c>GenerateChangePhoneNumberTokenAsync</c> or
/// <c>ChangePhoneNumberAsync</c>: two spellings of one number (<c>00972 52 555 0001</c>, <c>+972-52-555-0001</c>) become one
/// stored value, so a lookup by number finds it and no two accounts confirm it in two spellings.
/// </summary>
/// <remarks>
/// What <see cref="PhoneNumber"/> refuses is refused here, with its message: control and line-separator characters,
/// letters, invisible formatting characters, a <c>(0)</c> kept where the country has no trunk prefix, a number no
/// number of its country can be.
/// </remarks>
public static class OtpPhoneNumbers
{
    /// <summary>Normalises a typed phone number to E.164.</summary>
    /// <param name="typed">What the user typed.</param>
    /// <param name="defaultRegion">The region of numbers typed without a country code (ISO 3166-1 alpha-2, such as <c>IL</c>); <see langword="null"/>: only international numbers.</param>
    /// <returns>The number in E.164 form.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="typed"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">It is not a phone number; the message says why, without repeating it.</exception>
    public static string Normalize(string typed, string? defaultRegion = null)
    {
        ArgumentNullException.ThrowIfNull(typed);
        return PhoneNumber.Parse(typed, defaultRegion).E164;
    }

    /// <summary>Tries to normalise a typed phone number to E.164, and says why it is not one.</summary>
    /// <param name="typed">What the user typed.</param>
    /// <param name="defaultRegion">The region of numbers typed without a country code; <see langword="null"/>: only international numbers.</param>
    /// <param name="e164">The number in E.164 form, on success.</param>
    /// <param name="error">On failure, a message for the user naming the problem; it never repeats the input.</param>
    /// <returns><see langword="true"/> when <paramref name="typed"/> is a phone number.</returns>
    public static bool TryNormalize(string? typed, string? defaultRegion, [NotNullWhen(true)] out string? e164, [NotNullWhen(false)] out string? error)
    {
        if (PhoneNumber.TryParse(typed, defaultRegion, out var number, out error))
        {
            e164 = number.E164;
            return true;
        }

        e164 = null;
        return false;
    }
}
