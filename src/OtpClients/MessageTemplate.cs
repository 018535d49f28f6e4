using System.Diagnostics.CodeAnalysis;
using OtpClients.DependencyInjection;

namespace OtpClients;

/// <summary>
/// The text of an OTP message, with the provider-neutral placeholder <c>{code}</c> where the code goes. Each provider
/// renders it in its own syntax (its extension methods, or <see cref="Render(string)"/> with its placeholder).
/// </summary>
/// <remarks>
/// <para>
/// A template must contain <c>{code}</c> (lower case, no spaces) at least once, must not be white space only,
/// must not hold control characters other than line breaks and tabs, and must be at most
/// <see cref="MaxLength"/> characters. A known provider's own placeholder (its
/// <see cref="Microsoft.Extensions.DependencyInjection.OtpProviderDescriptor.NativePlaceholders"/>) is refused with a
/// message saying to write <c>{code}</c>: the SDK converts it.
/// </para>
/// </remarks>
public sealed class MessageTemplate
{
    /// <summary>The neutral placeholder for the code.</summary>
    public const string CodePlaceholder = "{code}";

    /// <summary>The longest template accepted, in characters.</summary>
    public const int MaxLength = 1000;

    private MessageTemplate(string template) => Template = template;

    /// <summary>Gets the template as written, with <c>{code}</c>.</summary>
    public string Template { get; }

    /// <summary>Parses a template.</summary>
    /// <param name="template">The text with <c>{code}</c>.</param>
    /// <returns>The template.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="template"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The template is not valid; the message says why.</exception>
    public static MessageTemplate Parse(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return TryParse(template, out var result, out var error) ? result : throw new FormatException(error);
    }

    /// <summary>Tries to parse a template and says why it is not valid.</summary>
    /// <param name="template">The text with <c>{code}</c>.</param>
    /// <param name="result">The template, on success.</param>
    /// <param name="error">On failure, a message naming the problem.</param>
    /// <returns><see langword="true"/> when the template is valid.</returns>
    public static bool TryParse(
        [NotNullWhen(true)] string? template,
        [NotNullWhen(true)] out MessageTemplate? result,
        [NotNullWhen(false)] out string? error)
    {
        result = null;
        if (string.IsNullOrWhiteSpace(template))
        {
            error = "The message template is empty; write the text with the {code} placeholder, e.g. \"Your code is {code}\".";
            return false;
        }

        if (template.Length > MaxLength)
        {
            error = $"The message template is too long: more than {MaxLength} characters.";
            return false;
        }

        foreach (var c in template)
        {
            if (char.IsControl(c) && c is not ('\n' or '\r' or '\t'))
            {
                error = "The message template contains control characters (only line breaks and tabs are allowed).";
                return false;
            }
        }

        foreach (var native in OtpProviderCatalog.NativePlaceholders)
        {
            if (template.Contains(native, StringComparison.Ordinal))
            {
                error = $"The message template uses the provider placeholder '{native}'; write {CodePlaceholder} instead: the SDK converts it for each provider.";
                return false;
            }
        }

        if (!template.Contains(CodePlaceholder, StringComparison.Ordinal))
        {
            error = $"The message template must contain the {CodePlaceholder} placeholder (lower case), e.g. \"Your code is {CodePlaceholder}\".";
            return false;
        }

        result = new MessageTemplate(template);
        error = null;
        return true;
    }

    /// <summary>Renders the message a user receives: <c>{code}</c> replaced by <paramref name="code"/>.</summary>
    /// <param name="code">The code.</param>
    /// <returns>The message text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="code"/> is <see langword="null"/>.</exception>
    public string Render(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return Template.Replace(CodePlaceholder, code, StringComparison.Ordinal);
    }

    /// <summary>Returns the template as written.</summary>
    /// <returns>The template.</returns>
    public override string ToString() => Template;
}
