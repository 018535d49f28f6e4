using System.Text;

namespace OtpClients;

/// <summary>Renders a <see cref="MessageTemplate"/> in iP1's syntax (.NET composite formatting) and back.</summary>
public static class Ip1MessageTemplateExtensions
{
    /// <summary>iP1's placeholder for the code in <c>MessageFormat</c>.</summary>
    internal const string NativePlaceholder = "{0}";

    /// <summary>
    /// Checks iP1's documented rule for <c>MessageFormat</c>, <c>^(?=.*\{0\}).*$</c>: one line (<c>.</c> does not match
    /// a line break). Returns the reason a template breaks it, or <see langword="null"/>.
    /// </summary>
    internal static string? CheckOneLine(string template) =>
        template.AsSpan().IndexOfAny('\r', '\n', '\u0085') >= 0 || template.AsSpan().IndexOfAny('\u2028', '\u2029') >= 0
            ? "iP1 takes a one-line message (its MessageFormat must match ^(?=.*\\{0\\}).*$); remove the line break."
            : null;

    /// <summary>Renders the template for iP1's <c>MessageFormat</c>: <c>{code}</c> becomes <c>{0}</c>, every other brace is doubled.</summary>
    /// <param name="template">The template.</param>
    /// <returns>The iP1 message format.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="template"/> is <see langword="null"/>.</exception>
    public static string ToIp1Format(this MessageTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var builder = new StringBuilder(template.Template.Length + 8);
        var text = template.Template.AsSpan();
        while (!text.IsEmpty)
        {
            if (text.StartsWith(MessageTemplate.CodePlaceholder, StringComparison.Ordinal))
            {
                builder.Append(NativePlaceholder);
                text = text[MessageTemplate.CodePlaceholder.Length..];
                continue;
            }

            var c = text[0];
            builder.Append(c);
            if (c is '{' or '}')
            {
                builder.Append(c);
            }

            text = text[1..];
        }

        return builder.ToString();
    }

    /// <summary>
    /// Converts an iP1 <c>MessageFormat</c> back to a neutral template: <c>{0}</c> becomes <c>{code}</c>, doubled braces
    /// become single. Anything else is kept as written.
    /// </summary>
    internal static string FromIp1Format(string format)
    {
        var builder = new StringBuilder(format.Length + 8);
        var text = format.AsSpan();
        while (!text.IsEmpty)
        {
            if (text.StartsWith(NativePlaceholder, StringComparison.Ordinal))
            {
                builder.Append(MessageTemplate.CodePlaceholder);
                text = text[NativePlaceholder.Length..];
            }
            else if (text.StartsWith("{{", StringComparison.Ordinal) || text.StartsWith("}}", StringComparison.Ordinal))
            {
                builder.Append(text[0]);
                text = text[2..];
            }
            else
            {
                builder.Append(text[0]);
                text = text[1..];
            }
        }

        return builder.ToString();
    }
}
