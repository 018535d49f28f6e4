using Microsoft.Extensions.Options;

namespace OtpClients.DependencyInjection;

/// <summary>Marks that an OTP client of a name (null: the default) is registered.</summary>
internal sealed record OtpClientRegistration(string? Name);

/// <summary>
/// Validates provider options with <see cref="OtpProviderOptions.Validate"/> at start; each message names the setting:
/// by its configuration path (<c>Otp:{Section}:{Setting}</c>) when the options were bound from a section, else as
/// <c>{Section}.{Setting}</c>.
/// </summary>
internal sealed class OtpProviderOptionsValidator<TOptions>(string name, string sectionName, string? configurationPath) : IValidateOptions<TOptions>
    where TOptions : OtpProviderOptions
{
    private readonly System.Text.RegularExpressions.Regex? setting = configurationPath is null
        ? null
        : new System.Text.RegularExpressions.Regex($@"(?<![\w.:]){System.Text.RegularExpressions.Regex.Escape(sectionName)}\.([A-Za-z]\w*(?:\.[A-Za-z]\w*)*)", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    public ValidateOptionsResult Validate(string? optionsName, TOptions options)
    {
        if (!string.Equals(optionsName, name, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = options.Validate();
        if (errors.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(setting is null
            ? errors
            : errors.Select(e => setting.Replace(e, m => configurationPath + ":" + m.Groups[1].Value.Replace('.', ':'))));
    }
}

/// <summary>Validates the options of one name with a function that lists the problems.</summary>
internal sealed class DelegateValidator<TOptions>(string name, Func<TOptions, List<string>> validate) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? optionsName, TOptions options)
    {
        if (!string.Equals(optionsName, name, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = validate(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
