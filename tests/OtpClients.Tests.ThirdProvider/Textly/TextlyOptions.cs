namespace OtpClients.Tests.ThirdProvider.Textly;

/// <summary>Settings of the Textly client: a bearer token, and the shared settings of every provider.</summary>
public sealed class TextlyOptions : OtpProviderOptions
{
    /// <summary>Textly's public origin.</summary>
    public static readonly Uri DefaultBaseAddress = new("https://api.textly.example/");

    /// <summary>Creates the options with Textly's defaults.</summary>
    public TextlyOptions()
        : base(DefaultBaseAddress)
    {
    }

    /// <summary>Gets or sets the API token (sent as <c>Authorization: Bearer …</c>). Required.</summary>
    public string? ApiToken { get; set; }

    /// <summary>Gets or sets the ISO region Textly serves. Defaults to <c>IT</c>.</summary>
    public string Region { get; set; } = "IT";

    /// <inheritdoc />
    protected override string SectionName => "Textly";

    /// <inheritdoc />
    protected override void ValidateProvider(ICollection<string> errors)
    {
        if (string.IsNullOrWhiteSpace(ApiToken))
        {
            errors.Add("Textly.ApiToken is required.");
        }

        if (Region is not { Length: 2 })
        {
            errors.Add("Textly.Region must be a two-letter ISO region code.");
        }
    }
}
