namespace OtpClients.Emulator;

/// <summary>The credentials an <see cref="OtpEmulator"/> accepts. They are emulator-only values, not secrets.</summary>
/// <param name="AmmAuthKey">AMM <c>AUTH_KEY</c>.</param>
/// <param name="AmmAuthSecret">AMM <c>AUTH_SECRET</c>.</param>
/// <param name="Ip1AccountId">iP1 account id.</param>
/// <param name="Ip1ApiKey">iP1 API key.</param>
/// <param name="NinetyNineDigitalApiKey">99digital API key.</param>
public sealed record OtpEmulatorCredentials(string AmmAuthKey, string AmmAuthSecret, string Ip1AccountId, string Ip1ApiKey, string NinetyNineDigitalApiKey)
{
    /// <summary>Gets the Twilio Account SID accepted (user of HTTP Basic, with <see cref="TwilioAuthToken"/>).</summary>
    public string TwilioAccountSid { get; init; } = OtpEmulatorOptions.DefaultTwilioAccountSid;

    /// <summary>Gets the Twilio Auth Token accepted.</summary>
    public string TwilioAuthToken { get; init; } = OtpEmulatorOptions.DefaultTwilioAuthToken;

    /// <summary>Gets the Twilio Verify service SID the emulator serves (<c>/v2/Services/{sid}/…</c>).</summary>
    public string TwilioServiceSid { get; init; } = OtpEmulatorOptions.DefaultTwilioServiceSid;
}
