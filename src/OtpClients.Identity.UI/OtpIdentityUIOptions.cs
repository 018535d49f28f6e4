namespace OtpClients.Identity.UI;

/// <summary>Settings of the SMS pages that <c>AddOtpIdentityUI</c> adds to ASP.NET Core Identity's default UI.</summary>
public sealed class OtpIdentityUIOptions
{
    /// <summary>
    /// Gets or sets whether a user who can receive a sign-in code by SMS is sent to the SMS sign-in page
    /// (<c>/Identity/Account/LoginWithSms</c>) instead of the stock authenticator-code page after the password. The SMS
    /// page links to the authenticator page when the user also has an authenticator app, and to the recovery-code page.
    /// Defaults to <see langword="true"/>.
    /// </summary>
    public bool SmsFirstAtSignIn { get; set; } = true;

    /// <summary>
    /// Gets or sets how many recovery codes are made when a user turns SMS two-factor sign-in on and has none left, so
    /// a lost phone never locks the account. The codes are shown once. Defaults to 10; 0 makes none.
    /// </summary>
    public int RecoveryCodeCount { get; set; } = 10;

    /// <summary>Gets the name of the token provider the pages use (the <c>providerName</c> given to <c>AddOtpIdentityUI</c>).</summary>
    public string ProviderName { get; internal set; } = "Phone";
}
