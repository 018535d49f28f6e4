namespace OtpClients;

/// <summary>The provider names: <see cref="IOtpClient.ProviderName"/> and <see cref="OtpChallenge.ProviderName"/> values.</summary>
public static class OtpProviderNames
{
    /// <summary>iP1 (<c>api.ip1sms.com</c>).</summary>
    public const string Ip1 = "iP1";

    /// <summary>AMM (<c>api.amm.cloud</c>).</summary>
    public const string Amm = "AMM";

    /// <summary>99digital (<c>api.99digital.co.il</c>).</summary>
    public const string NinetyNineDigital = "99digital";
}
