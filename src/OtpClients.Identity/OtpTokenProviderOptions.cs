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
    /// per-IP rules (<see cref="OtpSendRequest.ClientIpAddress"/>, and the IP of each check). Defaults to the current
    /// request's <c>HttpContext.Connection.RemoteIpAddress</c> (through <c>IHttpContextAccessor</c>, which
    /// <c>AddOtpTokenProvider</c> registers): behind a proxy, add ASP.NET Core's forwarded-headers middleware
    /// (<c>app.UseForwardedHeaders()</c> with <c>ForwardedHeadersOptions.KnownProxies</c>/<c>KnownNetworks</c>) so that it is
    /// the client's address, honoured only as far as those options trust. <see langword="null"/> passes no IP: the per-IP
    /// rules then never apply to Identity, and a Warning says so at start.
    /// </summary>
    public Func<IServiceProvider, string?>? ClientIpAddress { get; set; } = FromHttpContext;

    /// <summary>
    /// Gets or sets a value indicating whether purposes other than a phone-number change may text a phone the user has not
    /// confirmed. Defaults to <see langword="false"/>: every purpose but the change (which is how a number gets confirmed)
    /// needs a confirmed phone. Setting it lets anyone who can type a number into a profile have codes for sign-in,
    /// password reset or the app's own purposes texted to that number, and accepted — a number nobody proved they hold.
    /// </summary>
    public bool AllowUnconfirmedPhone { get; set; }

    /// <summary>
    /// Gets or sets the login provider under which the verification id is kept in the user's authentication tokens
    /// (<c>UserManager.SetAuthenticationTokenAsync</c>; with Entity Framework, the <c>AspNetUserTokens</c> table). The id
    /// is an opaque reference to a server-side session, not the code. Defaults to <c>"[OtpClients]"</c>.
    /// </summary>
    public string LoginProvider { get; set; } = "[OtpClients]";

    /// <summary>The default <see cref="ClientIpAddress"/>: the remote address of the current request, if any.</summary>
    /// <param name="services">The request's services.</param>
    /// <returns>The address, or <see langword="null"/> outside a request.</returns>
    public static string? FromHttpContext(IServiceProvider services) =>
        services?.GetService(typeof(Microsoft.AspNetCore.Http.IHttpContextAccessor)) is Microsoft.AspNetCore.Http.IHttpContextAccessor { HttpContext.Connection.RemoteIpAddress: { } address }
            ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
            : null;
}
