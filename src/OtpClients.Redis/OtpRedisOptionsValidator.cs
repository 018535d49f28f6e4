using Microsoft.Extensions.Options;

namespace OtpClients.Redis;

/// <summary>Validates <see cref="OtpRedisOptions"/> at start; each message names the setting under its configuration path.</summary>
internal sealed class OtpRedisOptionsValidator(string path) : IValidateOptions<OtpRedisOptions>
{
    public const int MinHashKeyLength = 32;

    public ValidateOptionsResult Validate(string? name, OtpRedisOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.HashKey))
        {
            errors.Add($"{path}:HashKey is required: a secret of at least {MinHashKeyLength} characters, the same on every instance, that keeps numbers out of Redis keys and encrypts sessions.");
        }
        else if (options.HashKey.Length < MinHashKeyLength)
        {
            errors.Add($"{path}:HashKey must be at least {MinHashKeyLength} characters; it has {options.HashKey.Length}.");
        }

        if (options.Configuration is not null && string.IsNullOrWhiteSpace(options.Configuration))
        {
            errors.Add($"{path}:Configuration is empty: set a StackExchange.Redis configuration string such as localhost:6379, or leave it out to use the registered IConnectionMultiplexer.");
        }

        if (options.KeyPrefix is null || options.KeyPrefix.Length > 64 || options.KeyPrefix.Any(char.IsWhiteSpace))
        {
            errors.Add($"{path}:KeyPrefix must be at most 64 characters without white space; it is '{options.KeyPrefix}'.");
        }

        if (options.Database < -1)
        {
            errors.Add($"{path}:Database must be -1 (the connection's default) or a database number; it is {options.Database}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
