using System.Buffers;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace OtpClients.Http;

/// <summary>
/// An <c>application/x-www-form-urlencoded</c> body, encoded once into its bytes as <see cref="FormUrlEncodedContent"/>
/// encodes it (RFC 3986 escaping, spaces as <c>+</c>), fields in the order given; it reports its writing to the wire
/// handler itself (<see cref="TrackedContent"/>).
/// </summary>
internal sealed class FormBody : TrackedContent
{
    private readonly byte[] body;

    public FormBody(params ReadOnlySpan<(string Name, string Value)> fields)
    {
        var chars = ArrayPool<char>.Shared.Rent(256);
        var length = 0;
        try
        {
            for (var i = 0; i < fields.Length; i++)
            {
                if (i > 0)
                {
                    Append(ref chars, ref length, "&");
                }

                AppendEscaped(ref chars, ref length, fields[i].Name);
                Append(ref chars, ref length, "=");
                AppendEscaped(ref chars, ref length, fields[i].Value);
            }

            body = Encoding.ASCII.GetBytes(chars, 0, length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }

        Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
    }

    protected override bool TryComputeLength(out long length)
    {
        length = body.Length;
        return true;
    }

    protected override Task WriteAsync(Stream stream, CancellationToken cancellationToken) =>
        stream.WriteAsync(body, cancellationToken).AsTask();

    private static void Append(ref char[] chars, ref int length, ReadOnlySpan<char> text)
    {
        Ensure(ref chars, length, text.Length);
        text.CopyTo(chars.AsSpan(length));
        length += text.Length;
    }

    private static void AppendEscaped(ref char[] chars, ref int length, ReadOnlySpan<char> text)
    {
        int written;
        while (!Uri.TryEscapeDataString(text, chars.AsSpan(length), out written))
        {
            Ensure(ref chars, length, chars.Length);
        }

        // As FormUrlEncodedContent: "%20" becomes "+".
        var span = chars.AsSpan(length, written);
        var to = 0;
        for (var from = 0; from < span.Length; from++)
        {
            if (span[from] == '%' && from + 2 < span.Length && span[from + 1] == '2' && span[from + 2] == '0')
            {
                span[to++] = '+';
                from += 2;
            }
            else
            {
                span[to++] = span[from];
            }
        }

        length += to;
    }

    private static void Ensure(ref char[] chars, int length, int more)
    {
        if (length + more <= chars.Length)
        {
            return;
        }

        var larger = ArrayPool<char>.Shared.Rent(Math.Max(chars.Length * 2, length + more));
        chars.AsSpan(0, length).CopyTo(larger);
        ArrayPool<char>.Shared.Return(chars);
        chars = larger;
    }
}

/// <summary>
/// A JSON body (<c>application/json; charset=utf-8</c>), serialized once by its source-generated contract, with its
/// length; it reports its writing to the wire handler itself (<see cref="TrackedContent"/>).
/// </summary>
internal sealed class JsonBody : TrackedContent
{
    private readonly byte[] body;

    private JsonBody(byte[] body)
    {
        this.body = body;
        Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
    }

    public static JsonBody Create<T>(T value, JsonTypeInfo<T> info) => new(JsonSerializer.SerializeToUtf8Bytes(value, info));

    protected override bool TryComputeLength(out long length)
    {
        length = body.Length;
        return true;
    }

    protected override Task WriteAsync(Stream stream, CancellationToken cancellationToken) =>
        stream.WriteAsync(body, cancellationToken).AsTask();
}
