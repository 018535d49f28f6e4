using System.Net.Http.Headers;
using System.Text;
using OtpClients.Http;
using Refit;

namespace OtpClients.NinetyNineDigital;

/// <summary>
/// 99digital's Verify SMS wire protocol as a Refit interface (source-generated client). Both endpoints take a
/// <c>multipart/form-data</c> POST at a configurable path (<see cref="NinetyNineDigitalOptions.SendPath"/>,
/// <see cref="NinetyNineDigitalOptions.CheckPath"/>). The form is built by <see cref="NinetyNineDigitalForm"/> with
/// one plain part per field, as the provider's <c>curl -F</c> examples send it: a quoted name, no per-part content type,
/// no file name (Refit's own multipart parts carry a <c>text/plain</c> type). The key travels only in its
/// <c>apiKey</c> field; no header carries it. Answers come back as <see cref="HttpResponseMessage"/>, read by
/// <see cref="ProviderTransport.ReceiveAsync"/>.
/// </summary>
[Headers("Accept: application/json")]
internal interface INinetyNineDigitalApi
{
    /// <summary><c>POST {path}</c> with a multipart form: send (<c>apiKey</c>, <c>from</c>, <c>to</c>, <c>message</c>) or check (<c>apiKey</c>, <c>to</c>, <c>code</c>).</summary>
    [Post("/{**path}")]
    Task<HttpResponseMessage> PostFormAsync(
        string path,
        [Body] MultipartFormDataContent form,
        [Property(OtpOperation.PropertyKey)] OtpOperation operation,
        CancellationToken cancellationToken);
}

/// <summary>99digital's operations, for the resilience rules and for error messages.</summary>
internal static class NinetyNineDigitalOperations
{
    public static readonly OtpOperation Send = new(OtpProviderNames.NinetyNineDigital, "send", isReadOnly: false);
    public static readonly OtpOperation Check = new(OtpProviderNames.NinetyNineDigital, "check", isReadOnly: false);
}

/// <summary>Builds 99digital's multipart forms: one plain part per field, in the order given.</summary>
internal static class NinetyNineDigitalForm
{
    public static MultipartFormDataContent Send(string apiKey, string from, string to, string? message)
    {
        var form = Create(("apiKey", apiKey), ("from", from), ("to", to));
        if (message is not null)
        {
            Add(form, "message", message);
        }

        return form;
    }

    public static MultipartFormDataContent Check(string apiKey, string to, string code) =>
        Create(("apiKey", apiKey), ("to", to), ("code", code));

    private static MultipartFormDataContent Create(params ReadOnlySpan<(string Name, string Value)> fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            Add(form, name, value);
        }

        return form;
    }

    private static void Add(MultipartFormDataContent form, string name, string value)
    {
        var part = new ByteArrayContent(Encoding.UTF8.GetBytes(value));
        part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"" + name + "\"" };
        form.Add(part);
    }
}
