using System.Globalization;
using System.Text.RegularExpressions;

namespace OtpClients.Messages;

/// <summary>
/// Composes the text of a send for one provider: picks the template (request, culture, provider), applies smart
/// encoding and the autofill lines, measures the final text with the code in it and refuses it over the segment limit.
/// Also validates a registration's templates against its providers at start.
/// </summary>
internal sealed partial class OtpMessageComposer(OtpMessageOptions options, string path)
{
    /// <summary>Gets the options.</summary>
    public OtpMessageOptions Options => options;

    /// <summary>Gets the configuration path of the options (<c>Otp:Messages</c>, or <c>Messages</c> from code).</summary>
    public string Path => path;

    /// <summary>Finds the template of a culture, walking up its parents to <c>default</c>; <see langword="null"/> when none.</summary>
    public (string Template, string Key)? TemplateFor(CultureInfo culture)
    {
        for (var c = culture; !string.IsNullOrEmpty(c.Name); c = c.Parent)
        {
            if (options.Templates.TryGetValue(c.Name, out var template))
            {
                return (template, c.Name);
            }
        }

        return options.Templates.TryGetValue(OtpMessageOptions.DefaultCulture, out var fallback) ? (fallback, OtpMessageOptions.DefaultCulture) : null;
    }

    /// <summary>Smart encoding and the autofill lines, on a neutral template (<c>{code}</c> stays).</summary>
    public string Compose(string template)
    {
        var text = options.SmartEncoding ? SmartEncodeTemplate(template) : template;
        if (options.AndroidAppHash is { } hash)
        {
            text += "\n" + hash;
        }

        if (options.OriginBoundDomain is { } domain)
        {
            text += "\n\n@" + domain + " #" + MessageTemplate.CodePlaceholder;
        }

        return text;
    }

    /// <summary>The text as it goes out: <c>{code}</c> replaced by a code of <paramref name="codeLength"/> characters.</summary>
    public static string Render(string composed, int codeLength) =>
        composed.Replace(MessageTemplate.CodePlaceholder, new string('0', Math.Clamp(codeLength, 1, 64)), StringComparison.Ordinal);

    /// <summary>The error of a text over the limit, naming where the template came from.</summary>
    public string? OverLimit(SmsMeasure measure, string source, string provider) =>
        measure.Segments <= options.MaxSegments
            ? null
            : $"{source} renders as {measure} for {provider}, over {path}:MaxSegments ({options.MaxSegments}): shorten it{(measure.Encoding == SmsEncoding.Ucs2 ? ", or write it in GSM-7 characters" : string.Empty)}.";

    /// <summary>Checks the options and measures every template as each provider would send it.</summary>
    public List<string> Validate(IReadOnlyList<(string Name, OtpMessageTraits Traits)> providers)
    {
        var errors = new List<string>();
        if (options.MaxSegments is < 1 or > 10)
        {
            errors.Add($"{path}:MaxSegments must be from 1 to 10; it is {options.MaxSegments}.");
        }

        if (options.OriginBoundDomain is { } domain && !HostName().IsMatch(domain))
        {
            errors.Add($"{path}:OriginBoundDomain must be a host name such as example.com (no scheme, port or path); it is '{domain}'.");
        }

        if (options.AndroidAppHash is { } hash && !AppHash().IsMatch(hash))
        {
            errors.Add($"{path}:AndroidAppHash must be the 11-character hash of the Android app (letters, digits, + and /); it has {hash.Length} characters.");
        }

        foreach (var (culture, template) in options.Templates)
        {
            if (!string.Equals(culture, OtpMessageOptions.DefaultCulture, StringComparison.OrdinalIgnoreCase) && !IsCulture(culture))
            {
                errors.Add($"{path}:Templates:{culture} is not a culture name: use one such as he, he-IL or it, or 'default'.");
            }

            if (!MessageTemplate.TryParse(template, out _, out var templateError))
            {
                errors.Add($"{path}:Templates:{culture}: {templateError}");
            }
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        var autofill = options.OriginBoundDomain is not null || options.AndroidAppHash is not null;
        var textTakers = providers.Where(p => !p.Traits.WritesItsOwnText).ToList();
        if (options.Templates.Count > 0 && textTakers.Count == 0)
        {
            errors.Add($"{path}:Templates are set, but {string.Join(" and ", providers.Select(p => p.Name))} write{(providers.Count == 1 ? "s" : string.Empty)} its own text and only takes the culture as its locale: remove the templates.");
        }

        foreach (var (name, traits) in providers)
        {
            if (traits.WritesItsOwnText)
            {
                if (options.AndroidAppHash is { } wanted && !string.Equals(traits.AppHash, wanted, StringComparison.Ordinal))
                {
                    errors.Add($"{path}:AndroidAppHash cannot go into {name}'s text, which {name} writes itself: set {name}'s own AppHash setting to the same value.");
                }

                continue;
            }

            if (traits.SingleLine && autofill)
            {
                errors.Add($"{path}:{(options.OriginBoundDomain is not null ? "OriginBoundDomain" : "AndroidAppHash")} adds a line to the message, which {name} cannot carry (its messages are one line): remove it, or route to another provider.");
                continue;
            }

            var sources = options.Templates.Select(t => (Template: t.Value, Source: $"{path}:Templates:{t.Key}")).ToList();
            if (!options.Templates.ContainsKey(OtpMessageOptions.DefaultCulture))
            {
                if (traits.DefaultTemplate is { } own)
                {
                    sources.Add((own, $"{name}'s MessageTemplate"));
                }
                else if (autofill)
                {
                    errors.Add($"{path}:{(options.OriginBoundDomain is not null ? "OriginBoundDomain" : "AndroidAppHash")} needs the message text, but {name} sends its account's own text to cultures without a template: add {path}:Templates:default, or set {name}'s MessageTemplate.");
                }
            }

            foreach (var (template, source) in sources)
            {
                if (traits.SingleLine && template.Contains('\n', StringComparison.Ordinal))
                {
                    errors.Add($"{source} has a line break, which {name} cannot carry (its messages are one line).");
                    continue;
                }

                var measure = SmsSegments.Measure(Render(Compose(template), traits.DefaultCodeLength));
                if (OverLimit(measure, source, name) is { } over)
                {
                    errors.Add(over);
                }
            }
        }

        return errors;
    }

    /// <summary>Smart encoding of a template: look-alikes replaced only when the text with its code becomes GSM-7.</summary>
    private static string SmartEncodeTemplate(string template)
    {
        var encoded = SmsSegments.SmartEncode(template);
        return ReferenceEquals(encoded, template) || SmsSegments.Measure(Render(encoded, 1)).Encoding != SmsEncoding.Gsm7 ? template : encoded;
    }

    private static bool IsCulture(string name)
    {
        try
        {
            return !string.IsNullOrEmpty(CultureInfo.GetCultureInfo(name, predefinedOnly: true).Name);
        }
        catch (CultureNotFoundException)
        {
            return false;
        }
    }

    [GeneratedRegex("^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex HostName();

    [GeneratedRegex("^[A-Za-z0-9+/]{11}$", RegexOptions.CultureInvariant)]
    private static partial Regex AppHash();
}
