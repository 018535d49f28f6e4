using OtpClients.Emulator.Providers;

namespace OtpClients.Emulator;

/// <summary>What the emulated providers share: clock, outbox, faults, credentials, code generation.</summary>
internal sealed class EmulatorState
{
    public EmulatorState(OtpEmulatorOptions options)
    {
        Options = options;
        TimeProvider = options.TimeProvider;
        Credentials = new OtpEmulatorCredentials(options.AmmAuthKey, options.AmmAuthSecret, options.Ip1AccountId, options.Ip1ApiKey, options.NinetyNineDigitalApiKey)
        {
            TwilioAccountSid = options.TwilioAccountSid,
            TwilioAuthToken = options.TwilioAuthToken,
            TwilioServiceSid = options.TwilioServiceSid,
        };
        Outbox = new OtpEmulatorOutbox(TimeProvider);
        Delivery = new OtpEmulatorDelivery(() => NotifyChanged("delivery"));
        Faults = new OtpEmulatorFaults(options.FaultSeed);
        Amm = new AmmEmulator(this);
        Ip1 = new Ip1Emulator(this);
        NinetyNineDigital = new NinetyNineDigitalEmulator(this);
        Twilio = new TwilioVerifyEmulator(this);
    }

    public OtpEmulatorOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    public OtpEmulatorCredentials Credentials { get; }

    public OtpEmulatorOutbox Outbox { get; }

    public OtpEmulatorFaults Faults { get; }

    public OtpEmulatorDelivery Delivery { get; }

    /// <summary>Puts a message a provider accepted in the outbox, stamped with the provider's delivery.</summary>
    public void Send(OtpEmulatorMessage message) => Outbox.Add(Delivery.Apply(message));

    public AmmEmulator Amm { get; private set; }

    public Ip1Emulator Ip1 { get; private set; }

    public NinetyNineDigitalEmulator NinetyNineDigital { get; private set; }

    public TwilioVerifyEmulator Twilio { get; private set; }

    public Uri? BaseAddress { get; set; }

    public DateTimeOffset Now => TimeProvider.GetUtcNow();

    /// <summary>Raised after anything the inbox shows may have changed: a provider call, a clear, a fault change.</summary>
    public event Action<string>? Changed;

    public void NotifyChanged(string kind) => Changed?.Invoke(kind);

    public OtpEmulatorCodeStatus? StatusOf(OtpEmulatorMessage message) => message.Provider switch
    {
        OtpProviderNames.Amm => Amm.StatusOf(message.Id),
        OtpProviderNames.Ip1 => Ip1.StatusOf(message.Id),
        OtpProviderNames.NinetyNineDigital => NinetyNineDigital.StatusOf(message.Id),
        TwilioVerifyEmulator.Name => Twilio.StatusOf(message.Id),
        _ => null,
    };

    public string NewCode(string provider, int length, bool numericOnly)
    {
        if (Options.CodeGenerator is { } generator)
        {
            return generator(provider, length, numericOnly);
        }

        const string Digits = "0123456789";
        const string Alphanumeric = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return System.Security.Cryptography.RandomNumberGenerator.GetString(numericOnly ? Digits : Alphanumeric, length);
    }

    public void Reset()
    {
        Outbox.Clear();
        Faults.Clear();
        Delivery.Reset();
        Amm = new AmmEmulator(this);
        Ip1 = new Ip1Emulator(this);
        NinetyNineDigital = new NinetyNineDigitalEmulator(this);
        Twilio = new TwilioVerifyEmulator(this);
    }
}
