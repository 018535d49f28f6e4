namespace OtpClients;

/// <content>The name of 99digital.</content>
public static partial class OtpProviderNames
{
    /// <summary>99digital (<c>api.99digital.co.il</c>).</summary>
    public const string NinetyNineDigital = "99digital";
}
