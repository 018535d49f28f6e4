namespace OtpClients.Identity;

/// <summary>Settings of the OTP token provider (<c>identityBuilder.AddOtpTokenProvider(configure: o =&gt; …)</c>).</summary>
public sealed class OtpTokenProviderOptions
{
    /// <summary>
    /// Gets or sets the name of the <c>AddOtpClient</c> registration whose verification sessions send and check the codes:
    /// <see langword="null"/> for the default registration, or the key of <c>AddOtpClient(name, …)</c>. Defaults to <see langword="null"/>.
    /// </summary>
    public string? ClientName { get; set; }

    /// <summary>
    /// Gets or sets the message text, with <c>{code}</c> where the code goes (<see cref="OtpSendRequest.MessageTemplate"/>).
    /// Defaults to <see langword="null"/>: the provider's default text.
    /// </summary>
    public string? MessageTemplate { get; set; }

    /// <summary>
    /// Gets or sets the region (ISO 3166-1 alpha-2, such as <c>IL</c>) of phone numbers stored without a country code
    /// (<c>054-123-4567</c>): they are read as that region dials them, and the code goes to the international form.
    /// Numbers stored in international form (<c>+972541234567</c>) are read as they are. Defaults to
    /// <see langword="null"/>: numbers must be stored in international form; a user whose number is not cannot get codes
    /// (<see cref="OtpTokenProvider{TUser}.CanGenerateTwoFactorTokenAsync"/> is <see langword="false"/>). Validated at start.
    /// </summary>
    public string? DefaultRegion { get; set; }

    /// <summary>Gets or sets the sender shown to the user (<see cref="OtpSendRequest.Sender"/>). Defaults to <see langword="null"/>: the provider options' sender.</summary>
    public string? Sender { get; set; }

    /// <summary>
    /// Gets or sets a function that gives the end user's IP address from the request's services, for the send guard's
    /// per-IP budget (<see cref="OtpSendRequest.ClientIpAddress"/>). In ASP.NET Core:
    /// <c>sp =&gt; sp.GetService&lt;IHttpContextAccessor&gt;()?.HttpContext?.Connection.RemoteIpAddress?.ToString()</c>.
    /// Defaults to <see langword="null"/>: no IP is passed.
    /// </summary>
    public Func<IServiceProvider, string?>? ClientIpAddress { get; set; }

    /// <summary>
    /// Gets or sets the login provider under which the verification id is kept in the user's authentication tokens
    /// (<c>UserManager.SetAuthenticationTokenAsync</c>; with Entity Framework, the <c>AspNetUserTokens</c> table). The id
    /// is an opaque reference to a server-side session, not the code. Defaults to <c>"[OtpClients]"</c>.
    /// </summary>
    public string LoginProvider { get; set; } = "[OtpClients]";
}
