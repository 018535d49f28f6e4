using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OtpClients.Http;

/// <summary>Reads a JSON string, number or boolean as a string: providers send ids both ways. Any other token is a <see cref="JsonException"/>.</summary>
internal sealed class FlexibleStringConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => NumberText(ref reader),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        _ => throw new JsonException("Expected a string or a number."),
    };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    private static readonly string[] Digits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    private static string NumberText(ref Utf8JsonReader reader)
    {
        if (!reader.HasValueSequence && reader.ValueSpan is [var single] && single is >= (byte)'0' and <= (byte)'9')
        {
            return Digits[single - '0'];
        }

        return System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
    }
}

/// <summary>Reads a JSON number or a numeric string as a 64-bit integer (a fractional number is truncated). Any other token is a <see cref="JsonException"/>.</summary>
internal sealed class FlexibleInt64Converter : NullableValueConverter<long>
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

                if (reader.TryGetDouble(out var real) && double.IsFinite(real) && real is >= long.MinValue and <= long.MaxValue)
                {
                    return (long)real;
                }

                throw new JsonException("The number is out of range.");
            case JsonTokenType.String:
                var span = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
                if (Utf8Parser.TryParse(span, out long parsed, out var consumed) && consumed == span.Length)
                {
                    return parsed;
                }

                if (double.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsedReal)
                    && double.IsFinite(parsedReal) && parsedReal is >= long.MinValue and <= long.MaxValue)
                {
                    return (long)parsedReal;
                }

                throw new JsonException("Expected a number.");
            default:
                throw new JsonException("Expected a number.");
        }
    }

    protected override void WriteValue(Utf8JsonWriter writer, long value) => writer.WriteNumberValue(value);
}

/// <summary>
/// Reads a date string as a <see cref="DateTimeOffset"/>, taking a date without an offset as UTC (providers that document
/// their dates as UTC/GMT may omit the offset). A date that does not parse, or any other token, reads as <see langword="null"/>:
/// a date never makes an otherwise good answer unreadable. Odd values are noted in <see cref="LenientFields"/>.
/// </summary>
internal sealed class FlexibleUtcDateConverter : NullableValueConverter<DateTimeOffset>
{
    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            reader.Skip();
            LenientFields.Note("date");
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            if (reader.TokenType != JsonTokenType.Null)
            {
                LenientFields.Note("date");
            }

            return null;
        }

        // ISO 8601 without allocating: with an offset or Z as written, without one as UTC.
        if (!reader.HasValueSequence && !reader.ValueIsEscaped)
        {
            var text = reader.ValueSpan;
            var time = text.IndexOf((byte)'T');
            var hasOffset = time >= 0 && (text[time..].IndexOfAny((byte)'+', (byte)'-') >= 0 || text[^1] is (byte)'Z' or (byte)'z');
            if (hasOffset && reader.TryGetDateTimeOffset(out var withOffset))
            {
                return withOffset;
            }

            if (!hasOffset && reader.TryGetDateTime(out var local))
            {
                return new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Utc));
            }
        }

        if (DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var value))
        {
            return value;
        }

        LenientFields.Note("date");
        return null;
    }

    protected override void WriteValue(Utf8JsonWriter writer, DateTimeOffset value) => writer.WriteStringValue(value);
}
