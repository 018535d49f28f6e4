using Microsoft.Extensions.Configuration;
using OtpClients.Tests.ThirdProvider.Textly;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Textly to an OTP client, through the SDK's public extension point only.</summary>
public static class TextlyOtpClientBuilderExtensions
{
    /// <summary>Textly's names: <c>Textly</c>, section <c>Textly</c>, alias <c>textly.example</c>; its native placeholder <c>%CODE%</c>.</summary>
    public static OtpProviderDescriptor Descriptor { get; } = new(TextlyOtpClient.Name, "Textly", static (otp, section) => otp.UseTextly(section))
    {
        Aliases = ["textly.example"],
        NativePlaceholders = ["%CODE%"],
    };

    public static IHttpClientBuilder UseTextly(this OtpClientBuilder builder, Action<TextlyOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddProvider<TextlyOptions, TextlyOtpClient>(Descriptor, o => o.Configure(configure), static (_, http, options) => new TextlyOtpClient(http, options));
    }

    public static IHttpClientBuilder UseTextly(this OtpClientBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        // As the built-in providers: a misspelt key fails at once, and validation messages name configuration paths.
        return builder.FromSection(configuration, () => builder.AddProvider<TextlyOptions, TextlyOtpClient>(Descriptor, o => o.Bind(configuration), static (_, http, options) => new TextlyOtpClient(http, options)));
    }
}
