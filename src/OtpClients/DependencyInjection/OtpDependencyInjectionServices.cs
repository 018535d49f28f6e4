using Microsoft.Extensions.Options;

namespace OtpClients.DependencyInjection;

/// <summary>Marks that an OTP client of a name (null: the default) is registered.</summary>
internal sealed record OtpClientRegistration(string? Name);

/// <summary>Validates provider options with <see cref="OtpProviderOptions.Validate"/> at start; each message names the setting.</summary>
internal sealed class OtpProviderOptionsValidator<TOptions>(string name) : IValidateOptions<TOptions>
    where TOptions : OtpProviderOptions
{
    public ValidateOptionsResult Validate(string? optionsName, TOptions options)
    {
        if (!string.Equals(optionsName, name, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
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
