using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace OtpClients.Http;

/// <summary>The transport's JSON reading: strict documents, declared media types, tolerant deserialization.</summary>
internal static partial class ProviderTransport
{
    /// <summary>Parses JSON, returning <see langword="null"/> for anything that is not the expected shape.</summary>
    public static T? TryDeserialize<T>(ReadOnlySpan<byte> body, JsonTypeInfo<T> info)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(body, info);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException or FormatException or OverflowException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Tells whether a media type declares JSON: <c>application/json</c>, <c>text/json</c>, or any <c>+json</c> type.</summary>
    public static bool IsJsonMediaType(string? mediaType) =>
        mediaType is not null
        && (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Tells whether a body is one well-formed JSON value with no property repeated in any object, at any depth
    /// (including properties the DTO does not read), and no comment. One pass of a <see cref="Utf8JsonReader"/> over the
    /// body, comparing each name with the names already seen in its object; allocation-free unless a name is escaped.
    /// </summary>
    public static bool IsStrictJson(ReadOnlySpan<byte> body, bool allowTrailingCommas)
    {
        const int StackEntries = 32;
        Span<(int Depth, int Start, int Length)> stack = stackalloc (int, int, int)[StackEntries];
        (int Depth, int Start, int Length)[]? rented = null;
        var names = stack;
        var count = 0;
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { AllowTrailingCommas = allowTrailingCommas, CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueIsEscaped)
                    {
                        // Escaped names compare after unescaping: rare enough for the document parser to judge.
                        return IsStrictJsonDocument(body, allowTrailingCommas);
                    }

                    var depth = reader.CurrentDepth;
                    var name = reader.ValueSpan;
                    for (var i = count - 1; i >= 0 && names[i].Depth == depth; i--)
                    {
                        if (body.Slice(names[i].Start, names[i].Length).SequenceEqual(name))
                        {
                            return false;
                        }
                    }

                    if (count == names.Length)
                    {
                        var larger = System.Buffers.ArrayPool<(int, int, int)>.Shared.Rent(names.Length * 2);
                        names.CopyTo(larger);
                        if (rented is not null)
                        {
                            System.Buffers.ArrayPool<(int, int, int)>.Shared.Return(rented);
                        }

                        rented = larger;
                        names = larger;
                    }

                    names[count++] = (depth, (int)reader.TokenStartIndex + 1, name.Length);
                }
                else if (reader.TokenType == JsonTokenType.EndObject)
                {
                    while (count > 0 && names[count - 1].Depth > reader.CurrentDepth)
                    {
                        count--;
                    }
                }
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<(int, int, int)>.Shared.Return(rented);
            }
        }
    }

    private static bool IsStrictJsonDocument(ReadOnlySpan<byte> body, bool allowTrailingCommas)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray(), allowTrailingCommas ? StrictDocumentWithTrailingCommas : StrictDocument);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
