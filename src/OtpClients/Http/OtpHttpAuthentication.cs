namespace OtpClients.Http;

/// <summary>For plug-in providers: the credentials of a provider's HTTP calls, made as the built-in providers make theirs.</summary>
public static class OtpHttpAuthentication
{
    /// <summary>
    /// Creates the parameter of a Basic <c>Authorization</c> header (RFC 7617: <c>base64(user ":" password)</c> in UTF-8),
    /// the part after <c>Basic </c>. Compute it once per registration, not per call; it is a secret: never log it.
    /// </summary>
    /// <param name="user">The user id (an account SID, an API key).</param>
    /// <param name="password">The password (a token, a secret).</param>
    /// <returns>The header's parameter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="user"/> or <paramref name="password"/> is <see langword="null"/>.</exception>
    public static string BasicParameter(string user, string password)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);
        return ProviderTransport.BasicParameter(user, password);
    }
}
