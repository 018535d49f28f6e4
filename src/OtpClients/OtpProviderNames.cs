namespace OtpClients;

/// <summary>
/// The names of the built-in providers: <see cref="IOtpClient.ProviderName"/> and <see cref="OtpChallenge.ProviderName"/>
/// values. Each constant is declared in its provider's folder.
/// </summary>
public static partial class OtpProviderNames;
