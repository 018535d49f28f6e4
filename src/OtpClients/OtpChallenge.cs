using System.Text;

namespace OtpClients;

/// <summary>
/// What a successful send returns and a verify needs: which provider sent the code, its identifier for the
/// code, and the recipient. Store it (it round-trips through System.Text.Json) between send and verify.
/// </summary>
/// <param name="ProviderName">The provider that sent the code (<see cref="IOtpClient.ProviderName"/>); verify goes to that provider only.</param>
/// <param name="Id">The provider's identifier of the code it sent (each provider's client documents which of its fields it is).</param>
/// <param name="PhoneNumber">The recipient in E.164 form (<c>+393481234567</c>).</param>
/// <remarks>
/// The challenge holds no code and no secret. It does hold the full phone number; <see cref="ToString"/> masks it.
/// Keep challenges server side: a client that can edit one can point a verify at another number (providers that verify
/// by phone and code), or claim a number that another id was sent to (providers that verify by id alone).
/// </remarks>
public sealed record OtpChallenge(string ProviderName, string Id, string PhoneNumber)
{
    /// <summary>Gets when the code stops being valid, when the provider told or documents it; otherwise <see langword="null"/>.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>
    /// Gets how many checks the provider allows for this code before it closes it, when the SDK set the limit or the
    /// provider documents it (AMM: its <c>max_retry</c>, 3 unless <c>Amm:MaxRetry</c> says otherwise); otherwise
    /// <see langword="null"/>. Verification sessions never allow more attempts than this, so a right code is never
    /// answered "wrong" because the provider had closed the request.
    /// </summary>
    public int? MaxAttempts { get; init; }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("ProviderName = ").Append(ProviderName);
        builder.Append(", Id = ").Append(Id);
        builder.Append(", PhoneNumber = ").Append(OtpClients.PhoneNumber.Mask(PhoneNumber));
        builder.Append(", ExpiresAt = ").Append(ExpiresAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        if (MaxAttempts is { } attempts)
        {
            builder.Append(", MaxAttempts = ").Append(attempts);
        }

        return true;
    }
}
