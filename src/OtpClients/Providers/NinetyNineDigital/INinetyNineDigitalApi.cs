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
        [Body] HttpContent form,
        [Property(OtpOperation.PropertyKey)] OtpOperation operation,
        CancellationToken cancellationToken);
}

/// <summary>99digital's operations, for the resilience rules and for error messages.</summary>
internal static class NinetyNineDigitalOperations
{
    public static readonly OtpOperation Send = new(OtpProviderNames.NinetyNineDigital, "send", isReadOnly: false);
    public static readonly OtpOperation Check = new(OtpProviderNames.NinetyNineDigital, "check", isReadOnly: false);
}

/// <summary>
/// 99digital's multipart form (<c>multipart/form-data</c>): one plain part per field, in the order given, each with a
/// quoted name, no content type and no file name, as the provider's <c>curl -F</c> examples send it. Written straight to
/// the connection from the field values (its length known in advance), instead of one content object, header
/// collection and byte array per field.
/// </summary>
internal sealed class NinetyNineDigitalForm : TrackedContent
{
    /// <summary>The boundary: random per process (the values are the key, a number, a code and the message text).</summary>
    private static readonly string ProcessBoundary = "otpclients-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    private readonly (string Name, string Value)[] fields;
    private readonly string boundary;

    private NinetyNineDigitalForm(params (string Name, string Value)[] fields)
    {
        this.fields = fields;
        // A value holding the boundary (only a message template could) gets a boundary of its own.
        boundary = Array.Exists(fields, f => f.Value.Contains(ProcessBoundary, StringComparison.Ordinal))
            ? "otpclients-" + Guid.NewGuid().ToString("N")
            : ProcessBoundary;
        var type = new MediaTypeHeaderValue("multipart/form-data");
        type.Parameters.Add(new NameValueHeaderValue("boundary", "\"" + boundary + "\""));
        Headers.ContentType = type;
    }

    public static NinetyNineDigitalForm Send(string apiKey, string from, string to, string? message) =>
        message is null
            ? new(("apiKey", apiKey), ("from", from), ("to", to))
            : new(("apiKey", apiKey), ("from", from), ("to", to), ("message", message));

    public static NinetyNineDigitalForm Check(string apiKey, string to, string code) =>
        new(("apiKey", apiKey), ("to", to), ("code", code));

    // --{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n per field, then --{boundary}--\r\n
    private const string DispositionStart = "\r\nContent-Disposition: form-data; name=\"";
    private const string DispositionEnd = "\"\r\n\r\n";

    protected override bool TryComputeLength(out long length)
    {
        length = Length();
        return true;
    }

    protected override async Task WriteAsync(Stream stream, CancellationToken cancellationToken)
    {
        var length = Length();
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var span = buffer.AsSpan();
            var at = 0;
            foreach (var (name, value) in fields)
            {
                at += Write(span[at..], "--");
                at += Write(span[at..], boundary);
                at += Write(span[at..], DispositionStart);
                at += Write(span[at..], name);
                at += Write(span[at..], DispositionEnd);
                at += Write(span[at..], value);
                at += Write(span[at..], "\r\n");
            }

            at += Write(span[at..], "--");
            at += Write(span[at..], boundary);
            at += Write(span[at..], "--\r\n");
            await stream.WriteAsync(buffer.AsMemory(0, at), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private int Length()
    {
        var framing = 2 + boundary.Length + DispositionStart.Length + DispositionEnd.Length + 2;
        var length = 2 + boundary.Length + 4;
        foreach (var (name, value) in fields)
        {
            length += framing + Encoding.UTF8.GetByteCount(name) + Encoding.UTF8.GetByteCount(value);
        }

        return length;
    }

    private static int Write(Span<byte> destination, string text) => Encoding.UTF8.GetBytes(text, destination);
}
