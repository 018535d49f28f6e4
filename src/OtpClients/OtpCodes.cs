using System.Diagnostics.CodeAnalysis;

namespace OtpClients;

/// <summary>The SDK's reading of a code a user typed, for apps and plug-in providers alike.</summary>
public static class OtpCodes
{
    /// <summary>Gets the longest code the SDK reads (32 letters or digits); a longer input is not a code.</summary>
    public const int MaxLength = RequestChecks.MaxCodeLength;

    /// <summary>
    /// Normalizes a typed code as every built-in provider does before its check: drops white space and dashes
    /// (<c>" 123-456 "</c> → <c>"123456"</c>) and reads decimal digits of any script as ASCII digits (<c>"١٢٣٤"</c> →
    /// <c>"1234"</c>). A plug-in then checks the provider's own format (length, digits only) on the result.
    /// </summary>
    /// <param name="code">What the user typed.</param>
    /// <param name="normalized">The code, when it can be one.</param>
    /// <returns><see langword="false"/> when it cannot be a code (<see langword="null"/>, empty, longer than <see cref="MaxLength"/>, or holding anything but letters and digits): answer it as a wrong code without any HTTP call.</returns>
    public static bool TryNormalize(string? code, [NotNullWhen(true)] out string? normalized)
    {
        if (code is not null && RequestChecks.TryNormalizeCode(code, out var result))
        {
            normalized = result;
            return true;
        }

        normalized = null;
        return false;
    }
}
