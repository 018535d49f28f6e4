namespace OtpClients;

/// <summary>Renders a <see cref="MessageTemplate"/> in AMM's syntax.</summary>
public static class AmmMessageTemplateExtensions
{
    /// <summary>AMM's placeholder for the code in <c>text</c>.</summary>
    internal const string NativePlaceholder = "${verify_code}";

    /// <summary>Renders the template for AMM's <c>text</c>: <c>{code}</c> becomes <c>${verify_code}</c>.</summary>
    /// <param name="template">The template.</param>
    /// <returns>The AMM text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="template"/> is <see langword="null"/>.</exception>
    public static string ToAmmText(this MessageTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return template.Render(NativePlaceholder);
    }
}
