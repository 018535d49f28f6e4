namespace OtpClients;

/// <content>The name of iP1.</content>
public static partial class OtpProviderNames
{
    /// <summary>iP1 (<c>api.ip1sms.com</c>).</summary>
    public const string Ip1 = "iP1";
}
