using OtpClients;
using OtpClients.DependencyInjection;
using OtpClients.Failover;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The OTP client builder's routes: failover and routes by region.</summary>
public sealed partial class OtpClientBuilder
{
    /// <summary>
    /// Makes the resolved <see cref="IOtpClient"/> a <see cref="FailoverOtpClient"/> over the given providers, in order.
    /// Each must be configured with its <c>Use…</c> method.
    /// </summary>
    /// <param name="providers">
    /// Provider names in the order a send tries them: any name of the provider's <see cref="OtpProviderDescriptor"/>
    /// (its name, configuration section or an alias; case-insensitive). None: every configured provider, in the order configured.
    /// </param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">A name is unknown or repeated.</exception>
    public OtpClientBuilder UseFailover(params string[] providers)
    {
        ArgumentNullException.ThrowIfNull(providers);
        EnsureNotCompleted();
        failover = ResolveList(providers, "failover");
        return this;
    }

    private OtpProviderDescriptor[] ResolveList(string[] providers, string what)
    {
        var names = new List<OtpProviderDescriptor>(providers.Length);
        foreach (var provider in providers)
        {
            var descriptor = Resolve(provider)
                ?? throw new ArgumentException($"Unknown OTP provider '{provider}' in {what}: use {OtpProviderCatalog.DescribeKnown(RegisteredDescriptors())}.", nameof(providers));
            if (names.Contains(descriptor))
            {
                throw new ArgumentException($"{char.ToUpperInvariant(what[0])}{what[1..]} names {descriptor.Name} twice.", nameof(providers));
            }

            names.Add(descriptor);
        }

        return [.. names];
    }

    /// <summary>
    /// Routes the sends to numbers of one region to its own ordered list of providers (failover within it), for example
    /// Israeli numbers to one provider, then another: <c>otp.Route("IL", "ProviderA", "ProviderB")</c>. Numbers of other
    /// regions take the default list (<see cref="UseFailover"/>); without one, they fail with
    /// <see cref="OtpErrorCode.NotSupported"/> before any HTTP call. Verify always goes to the provider that sent the code.
    /// </summary>
    /// <param name="regionCode">An ISO 3166-1 alpha-2 region code, such as <c>IL</c> (case-insensitive); <c>*</c> sets the default list, like <see cref="UseFailover"/>.</param>
    /// <param name="providers">Provider names in the order a send tries them (any name of the provider's <see cref="OtpProviderDescriptor"/>). At least one; each configured with its <c>Use…</c> method.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The region is not a region code, the list is empty, or a name is unknown or repeated.</exception>
    public OtpClientBuilder Route(string regionCode, params string[] providers)
    {
        ArgumentNullException.ThrowIfNull(regionCode);
        ArgumentNullException.ThrowIfNull(providers);
        EnsureNotCompleted();
        if (regionCode == OtpRoutes.DefaultRegion)
        {
            return providers.Length == 0 ? throw new ArgumentException("The default route names no provider.", nameof(providers)) : UseFailover(providers);
        }

        if (!OtpRoutes.IsRegionCode(regionCode))
        {
            throw new ArgumentException($"'{regionCode}' is not a region code: use an ISO 3166-1 alpha-2 code such as IL or IT, or * for the default route.", nameof(regionCode));
        }

        if (providers.Length == 0)
        {
            throw new ArgumentException($"The route of {regionCode} names no provider.", nameof(providers));
        }

        routes[regionCode.ToUpperInvariant()] = ResolveList(providers, $"the route of {regionCode.ToUpperInvariant()}");
        return this;
    }
}
