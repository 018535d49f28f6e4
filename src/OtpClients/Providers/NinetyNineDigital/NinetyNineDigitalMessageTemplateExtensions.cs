namespace OtpClients;

/// <summary>Renders a <see cref="MessageTemplate"/> in 99digital's syntax.</summary>
public static class NinetyNineDigitalMessageTemplateExtensions
{
    /// <summary>99digital's placeholder for the code in <c>message</c>.</summary>
    internal const string NativePlaceholder = "##code##";

    /// <summary>Renders the template for 99digital's <c>message</c>: <c>{code}</c> becomes <c>##code##</c>.</summary>
    /// <param name="template">The template.</param>
    /// <returns>The 99digital message.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="template"/> is <see langword="null"/>.</exception>
    public static string ToNinetyNineDigitalMessage(this MessageTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return template.Render(NativePlaceholder);
    }
}
