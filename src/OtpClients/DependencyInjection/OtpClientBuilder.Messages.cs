using Microsoft.Extensions.Options;
using OtpClients;
using OtpClients.DependencyInjection;
using OtpClients.Messages;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The message of a registration: <see cref="UseMessages"/> and the message layer in front of each provider.</summary>
public sealed partial class OtpClientBuilder
{
    private bool messages;
    private string messagesPath = "Messages";

    /// <summary>
    /// Owns the message of every send of this client (<see cref="OtpMessageOptions"/>, or the <c>Messages</c> section of
    /// the OTP configuration): templates by the user's culture, at most <see cref="OtpMessageOptions.MaxSegments"/> SMS
    /// segments measured on the final text, smart encoding, and the autofill lines (the origin-bound line that Safari and
    /// WebOTP read, the Android app hash). Every template is measured at start, as each provider of the client would send
    /// it; one over the limit, or an autofill line a provider cannot carry, is a start error naming its path. Calling it
    /// again adds to the configuration.
    /// </summary>
    /// <param name="configure">Sets the options; <see langword="null"/> keeps the defaults.</param>
    /// <returns>This builder.</returns>
    public OtpClientBuilder UseMessages(Action<OtpMessageOptions>? configure = null)
    {
        EnsureNotCompleted();
        var options = Services.AddOptions<OtpMessageOptions>(OptionsName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        messages = true;
        return this;
    }

    /// <summary>Registers the message options' validation: the options, and every template as each provider sends it.</summary>
    private void CompleteMessages()
    {
        if (!messages)
        {
            return;
        }

        var optionsName = OptionsName;
        var path = messagesPath;
        var registered = providers.ToArray();
        Services.AddOptions<OtpMessageOptions>(optionsName).ValidateOnStart();
        Services.AddSingleton<IValidateOptions<OtpMessageOptions>>(sp => new DelegateValidator<OtpMessageOptions>(optionsName, o =>
        {
            var traits = new List<(string, OtpMessageTraits)>();
            foreach (var provider in registered)
            {
                try
                {
                    traits.Add((provider.Descriptor.Name, (provider.Factory(sp) as IOtpMessageSender)?.MessageTraits ?? OtpMessageTraits.Unknown));
                }
                catch (OptionsValidationException)
                {
                    // The provider's own options are invalid: its own validator reports them.
                }
            }

            return new OtpMessageComposer(o, path).Validate(traits);
        }));
    }

    /// <summary>
    /// The factory of a provider as the route sees it: behind the message layer when <see cref="UseMessages"/> is on, and
    /// behind the channel check (a channel it does not offer is NotSupported with no HTTP call) unless its descriptor says
    /// it refuses other channels itself (<see cref="OtpProviderDescriptor.RefusesOtherChannels"/>: then a registration of
    /// it alone keeps resolving its own client type) or it offers every channel.
    /// </summary>
    private Func<IServiceProvider, IOtpClient> WithMessages(ProviderRegistration provider)
    {
        var channels = provider.Descriptor.Channels;
        var checksChannels = provider.Descriptor.RefusesOtherChannels || Enum.GetValues<OtpChannel>().All(channels.Contains);
        Func<IServiceProvider, IOtpClient> factory = provider.Factory;
        if (messages)
        {
            var optionsName = OptionsName;
            var path = messagesPath;
            var inner = factory;
            factory = sp => new MessagingOtpClient(inner(sp), new OtpMessageComposer(sp.GetRequiredService<IOptionsMonitor<OtpMessageOptions>>().Get(optionsName), path));
        }

        if (checksChannels)
        {
            return factory;
        }

        var unchecked_ = factory;
        return sp => new OtpClients.Failover.ChannelOtpClient(unchecked_(sp), channels);
    }
}
