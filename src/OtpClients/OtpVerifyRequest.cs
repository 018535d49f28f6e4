using System.Text;

namespace OtpClients;

/// <summary>A request to check the code a user typed.</summary>
/// <param name="Challenge">The challenge returned by <see cref="IOtpClient.SendAsync"/>.</param>
/// <param name="Code">The code the user typed. Leading and trailing white space is ignored. Never printed by <see cref="ToString"/>.</param>
public sealed record OtpVerifyRequest(OtpChallenge Challenge, string Code)
{
    /// <summary>Gets the end user's IP address, passed to providers that use it against abuse (AMM <c>ip_address</c>); ignored by the others.</summary>
    public string? ClientIpAddress { get; init; }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Challenge = ").Append(Challenge);
        builder.Append(", Code = ***");
        builder.Append(", ClientIpAddress = ").Append(ClientIpAddress);
        return true;
    }
}
