namespace OtpClients;

/// <content>The name of AMM.</content>
public static partial class OtpProviderNames
{
    /// <summary>AMM (<c>api.amm.cloud</c>).</summary>
    public const string Amm = "AMM";
}
