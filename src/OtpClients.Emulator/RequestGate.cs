using System.Net;
using System.Net.NetworkInformation;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace OtpClients.Emulator;

/// <summary>
/// What keeps a web page in the developer's browser from driving or reading the emulator: the Host allow-list (against
/// DNS rebinding), the origin and content-type rules of requests that change state (against cross-site form posts), and
/// the headers that keep a provider answer from running as a page on the emulator's origin.
/// </summary>
internal static class RequestGate
{
    /// <summary>The policy of every answer that is not the inbox page: nothing may run, load or frame it.</summary>
    public const string SandboxPolicy = "sandbox; default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>The names a loopback emulator always answers to.</summary>
    public static readonly string[] LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>
    /// The Host names the emulator answers: the loopback names, the hosts of the URLs it listens on (Kestrel's syntax,
    /// <c>;</c>-separated; for a wildcard host, the addresses of this machine's interfaces), and <paramref name="configured"/>.
    /// </summary>
    public static List<string> AllowedHosts(string urls, IEnumerable<string> configured)
    {
        var hosts = new List<string>(LoopbackHosts);
        void Add(string host)
        {
            if (!hosts.Contains(host, StringComparer.OrdinalIgnoreCase))
            {
                hosts.Add(host);
            }
        }

        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var host = HostOf(url);
            if (host is "0.0.0.0" or "[::]" or "+" or "*")
            {
                foreach (var ip in InterfaceAddresses())
                {
                    Add(ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip.ToString());
                }
            }
            else if (host.Length > 0)
            {
                Add(host);
            }
        }

        foreach (var host in configured)
        {
            if (!string.IsNullOrWhiteSpace(host))
            {
                Add(host.Trim());
            }
        }

        return hosts;
    }

    /// <summary>The host of a Kestrel URL (<c>http://0.0.0.0:5087</c>, <c>http://[::1]:0</c>, <c>http://*:80</c>), without its port.</summary>
    internal static string HostOf(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal);
        var rest = start < 0 ? url : url[(start + 3)..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            rest = rest[..slash];
        }

        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            return close < 0 ? rest : rest[..(close + 1)];
        }

        var colon = rest.LastIndexOf(':');
        return colon < 0 ? rest : rest[..colon];
    }

    private static IEnumerable<IPAddress> InterfaceAddresses()
    {
        NetworkInterface[] interfaces;
        try
        {
            interfaces = NetworkInterface.GetAllNetworkInterfaces();
        }
        catch (NetworkInformationException)
        {
            yield break;
        }

        foreach (var networkInterface in interfaces)
        {
            foreach (var unicast in networkInterface.GetIPProperties().UnicastAddresses)
            {
                var ip = unicast.Address;
                yield return ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                    ? new IPAddress(ip.GetAddressBytes()) // a Host header carries no zone
                    : ip;
            }
        }
    }

    /// <summary>
    /// Tells whether a request comes from a page of another origin: a <c>Sec-Fetch-Site</c> of <c>cross-site</c> or
    /// <c>same-site</c> (another port or subdomain is another origin), or an <c>Origin</c> that is not this request's own.
    /// Requests without either header (an SDK, curl, a test) are not foreign.
    /// </summary>
    public static bool IsForeign(HttpContext context)
    {
        var headers = context.Request.Headers;
        var site = headers["Sec-Fetch-Site"].ToString();
        if (site.Equals("cross-site", StringComparison.OrdinalIgnoreCase) || site.Equals("same-site", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var origin = headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return false;
        }

        // "null" (a sandboxed frame, a file: page, a redirect) and any other origin are foreign.
        var own = context.Request.Scheme + "://" + context.Request.Host.Value;
        return !string.Equals(origin, own, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Tells whether a request may see the credentials in clear: not from a page of another origin, and not a browser's request of another site.</summary>
    public static bool MayRevealSecrets(HttpContext context)
    {
        var site = context.Request.Headers["Sec-Fetch-Site"].ToString();
        return !IsForeign(context) && (site.Length == 0 || site is "same-origin" or "none");
    }

    /// <summary>
    /// Refuses a request that changes the emulator's state (<c>POST</c>, <c>PUT</c>, <c>PATCH</c>, <c>DELETE</c> under
    /// <c>/_emulator</c>) from another origin (403), or with a body that is not <c>application/json</c> (415): a
    /// cross-site form or a <c>no-cors</c> fetch can only send <c>text/plain</c>, form or multipart bodies, and a JSON
    /// body from another origin needs a CORS preflight, which the emulator never grants. A <c>DELETE</c> may come without
    /// a body: no form and no simple request can send one.
    /// </summary>
    /// <returns>The refusal's status and message, or <see langword="null"/> to go ahead.</returns>
    public static (int Status, string Message)? CheckControlWrite(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        {
            return null;
        }

        if (IsForeign(context))
        {
            return (StatusCodes.Status403Forbidden, "The emulator's control API takes no request from a page of another origin.");
        }

        var hasBody = request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0 || request.ContentType is not null;
        if (HttpMethods.IsDelete(request.Method) && !hasBody)
        {
            return null;
        }

        return IsJson(request.ContentType)
            ? null
            : (StatusCodes.Status415UnsupportedMediaType, "The emulator's control API takes JSON only: send Content-Type: application/json.");
    }

    /// <summary>Refuses a provider request from a page of another origin: an SDK never sends <c>Origin</c> or <c>Sec-Fetch-Site</c>, and a page must not send codes or burn them.</summary>
    public static bool RefuseProviderCall(HttpContext context) => IsForeign(context);

    /// <summary>Adds the headers every answer but the inbox page gets: no sniffing, a sandbox policy, and same-origin embedding only.</summary>
    public static void Harden(HttpResponse response)
    {
        var headers = response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = SandboxPolicy;
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers["Referrer-Policy"] = "no-referrer";
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
}
