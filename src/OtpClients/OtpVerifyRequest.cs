using System.Text;

namespace OtpClients;

/// <summary>A request to check the code a user typed.</summary>
/// <param name="Challenge">The challenge returned by <see cref="IOtpClient.SendAsync"/>.</param>
/// <param name="Code">
/// The code the user typed. White space and dashes are ignored and decimal digits of any script are read as ASCII
/// digits; a value that cannot be a code (empty, over 32 characters, other symbols) is answered
/// <see cref="OtpVerificationStatus.InvalidCode"/> without asking the provider. Never printed by <see cref="ToString"/>.
/// </param>
public sealed record OtpVerifyRequest(OtpChallenge Challenge, string Code)
{
    /// <summary>
    /// Gets the end user's IP address, passed to providers that use it against abuse (as an <c>ip_address</c> field, for
    /// one); ignored by the others. It is parsed and sent in canonical form; a value that is not an IPv4 address in
    /// dotted decimal (no leading zeros) or an IPv6 address (an optional scope is an interface name or number) fails
    /// with <see cref="OtpErrorCode.InvalidRequest"/> before any HTTP call. <see cref="ToString"/> masks it.
    /// </summary>
    public string? ClientIpAddress { get; init; }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Challenge = ").Append(Challenge);
        builder.Append(", Code = ***");
        builder.Append(", ClientIpAddress = ").Append(RequestChecks.MaskIp(ClientIpAddress));
        return true;
    }
}
