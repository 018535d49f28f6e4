using Microsoft.Extensions.Configuration;
using OtpClients.Twilio;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Twilio Verify to an OTP client, through the SDK's public plug-in API.</summary>
public static class TwilioVerifyOtpClientBuilderExtensions
{
    /// <summary>
    /// Gets Twilio Verify's descriptor: name <c>Twilio</c>, configuration section <c>Twilio</c>, alias <c>TwilioVerify</c>.
    /// Register it with <c>services.AddOtpProvider(TwilioVerifyOtpClientBuilderExtensions.Descriptor)</c> before
    /// <c>AddOtpClient(configuration)</c> so that configuration can name it.
    /// </summary>
    public static OtpProviderDescriptor Descriptor { get; } = new(TwilioVerifyOtpClient.Name, "Twilio", static (otp, section) => otp.UseTwilioVerify(section))
    {
        Aliases = ["TwilioVerify"],
        Channels = [OtpClients.OtpChannel.Sms, OtpClients.OtpChannel.Voice, OtpClients.OtpChannel.WhatsApp],
    };

    /// <summary>Configures Twilio Verify.</summary>
    /// <param name="builder">The OTP client builder.</param>
    /// <param name="configure">Sets the options: at least the account, its credential and the Verify service.</param>
    /// <returns>The builder of Twilio's <see cref="HttpClient"/>, to add handlers or configure it.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">Twilio is already configured for this OTP client.</exception>
    public static IHttpClientBuilder UseTwilioVerify(this OtpClientBuilder builder, Action<TwilioVerifyOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddProvider<TwilioVerifyOptions, TwilioVerifyOtpClient>(Descriptor, o => o.Configure(configure), Create);
    }

    /// <summary>Configures Twilio Verify from a configuration section (misspelt keys refused at start, validation messages naming their paths).</summary>
    /// <param name="builder">The OTP client builder.</param>
    /// <param name="configuration">The <c>Twilio</c> section.</param>
    /// <returns>The builder of Twilio's <see cref="HttpClient"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IHttpClientBuilder UseTwilioVerify(this OtpClientBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        return builder.FromSection(configuration, () => builder.AddProvider<TwilioVerifyOptions, TwilioVerifyOtpClient>(Descriptor, o => o.Bind(configuration), Create));
    }

    private static TwilioVerifyOtpClient Create(IServiceProvider services, HttpClient http, TwilioVerifyOptions options) =>
        new(http, options, services.GetService<TimeProvider>());
}
