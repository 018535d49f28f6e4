using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OtpClients.Http;

/// <summary>A converter of a nullable value: JSON <c>null</c> is handed to it on read, and written for <see langword="null"/>.</summary>
/// <typeparam name="T">The value type.</typeparam>
internal abstract class NullableValueConverter<T> : JsonConverter<T?>
    where T : struct
{
    public override bool HandleNull => true;

    public sealed override void Write(Utf8JsonWriter writer, T? value, JsonSerializerOptions options)
    {
        if (value is { } v)
        {
            WriteValue(writer, v);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    protected abstract void WriteValue(Utf8JsonWriter writer, T value);
}

/// <summary>
/// Reads an essential id as a 64-bit integer, exactly: a JSON integer (<c>5</c>, no fraction, no exponent) or a string
/// holding the canonical integer (<c>"5"</c>: digits only, no sign, no leading zero, no white space). <c>5.9</c>,
/// <c>"5.4"</c>, <c>" 5 "</c>, <c>"05"</c> and <c>"5e0"</c> are refused (<see cref="JsonException"/>), so an id never
/// matches another by truncation or trimming. JSON <c>null</c> reads as <see langword="null"/>.
/// </summary>
internal sealed class StrictInt64Converter : NullableValueConverter<long>
{
    public override long? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
            case JsonTokenType.String when !reader.ValueIsEscaped:
                var span = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
                if (IsCanonical(span) && Utf8Parser.TryParse(span, out long value, out var consumed) && consumed == span.Length)
                {
                    return value;
                }

                throw new JsonException("An id must be a whole number written canonically.");
            default:
                throw new JsonException("An id must be a whole number.");
        }
    }

    protected override void WriteValue(Utf8JsonWriter writer, long value) => writer.WriteNumberValue(value);

    /// <summary>Digits only, 1..19 of them, no leading zero unless the number is 0.</summary>
    private static bool IsCanonical(ReadOnlySpan<byte> text) =>
        text.Length is > 0 and <= 19 && !text.ContainsAnyExceptInRange((byte)'0', (byte)'9') && (text.Length == 1 || text[0] != (byte)'0');
}

/// <summary>
/// Notes the non-essential fields that were read leniently because their value had an unexpected shape, so the
/// transport can log them (at Debug) once the body is read. Per thread: deserialization is synchronous.
/// </summary>
internal static class LenientFields
{
    [ThreadStatic]
    private static int count;

    [ThreadStatic]
    private static string? kinds;

    /// <summary>Notes one field of <paramref name="kind"/> (<c>number</c>, <c>date</c>, …) read as absent.</summary>
    public static void Note(string kind)
    {
        count++;
        kinds = kinds is null ? kind : kinds.Contains(kind, StringComparison.Ordinal) ? kinds : kinds + ", " + kind;
    }

    /// <summary>Returns how many fields were noted since the last call, and of which kinds, and forgets them.</summary>
    public static int Take(out string? noted)
    {
        var taken = count;
        noted = kinds;
        count = 0;
        kinds = null;
        return taken;
    }
}

/// <summary>
/// Reads a non-essential number leniently: a JSON number, or a string holding one, as a 64-bit integer (a fraction
/// is truncated); anything else (<c>""</c>, <c>"soon"</c>, <c>true</c>, an object, an array, out of range) reads
/// as <see langword="null"/> and is noted in <see cref="LenientFields"/>. Never throws: such a field never makes a
/// good answer unreadable.
/// </summary>
internal sealed class LenientInt64Converter : NullableValueConverter<long>
{
    public override long? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                if (reader.TryGetInt64(out var whole))
                {
                    return whole;
                }

                if (reader.TryGetDouble(out var real) && double.IsFinite(real) && real is > long.MinValue and < long.MaxValue)
                {
                    return (long)real;
                }

                break;
            case JsonTokenType.String:
                var text = reader.GetString();
                if (long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
                {
                    return parsed;
                }

                break;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                reader.Skip();
                break;
        }

        LenientFields.Note("number");
        return null;
    }

    protected override void WriteValue(Utf8JsonWriter writer, long value) => writer.WriteNumberValue(value);
}

/// <summary>
/// Reads a non-essential 32-bit number leniently, like <see cref="LenientInt64Converter"/>: out of range or any odd
/// shape reads as <see langword="null"/> and is noted.
/// </summary>
internal sealed class LenientInt32Converter : NullableValueConverter<int>
{
    private static readonly LenientInt64Converter Wide = new();

    public override bool HandleNull => true;

    public override int? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = Wide.Read(ref reader, typeof(long?), options);
        if (value is { } v && v is < int.MinValue or > int.MaxValue)
        {
            LenientFields.Note("number");
            return null;
        }

        return (int?)value;
    }

    protected override void WriteValue(Utf8JsonWriter writer, int value) => writer.WriteNumberValue(value);
}

/// <summary>
/// Reads a non-essential text leniently: a string as is, a number or a boolean as its JSON text; an object or an
/// array reads as <see langword="null"/> and is noted.
/// </summary>
internal sealed class LenientStringConverter : JsonConverter<string>
{
    private static readonly FlexibleStringConverter Flexible = new();

    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            reader.Skip();
            LenientFields.Note("text");
            return null;
        }

        return Flexible.Read(ref reader, typeToConvert, options);
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>
/// Reads a non-essential flag leniently: <c>true</c>/<c>false</c>, or the strings <c>"true"</c>/<c>"false"</c>
/// (any case, trimmed); anything else reads as <see langword="null"/> and is noted.
/// </summary>
internal sealed class LenientBooleanConverter : NullableValueConverter<bool>
{
    public override bool? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            case JsonTokenType.String when bool.TryParse(reader.GetString()?.Trim(), out var parsed):
                return parsed;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                reader.Skip();
                break;
        }

        LenientFields.Note("flag");
        return null;
    }

    protected override void WriteValue(Utf8JsonWriter writer, bool value) => writer.WriteBooleanValue(value);
}
