using BenchmarkDotNet.Attributes;
using OtpClients.Messages;

namespace OtpClients.Benchmarks;

/// <summary>
/// What measuring a message costs: the send path measures every composed message (<c>otp.UseMessages</c>), so the goal is
/// at most 1 µs and no allocation for a 160-character text.
/// </summary>
[MemoryDiagnoser]
public class SmsSegmentsBenchmarks
{
    /// <summary>160 GSM-7 characters: one full segment.</summary>
    public static readonly string Gsm160 = ("Your Contoso verification code is 123456. It expires in 10 minutes. Do not share it with anyone, our staff will never ask for it. @contoso.example #123456").PadRight(160, '.');

    /// <summary>160 GSM-7 characters with extension-table characters ([ ] €), three segments' worth of septets counted.</summary>
    public static readonly string Gsm160Escapes = string.Concat(Enumerable.Repeat("Code [123456] costs 0 €. ", 7)).PadRight(160, '.')[..160];

    /// <summary>70 Hebrew characters: one full UCS-2 segment.</summary>
    public static readonly string Hebrew70 = "הקוד שלך הוא 123456. הוא תקף עשר דקות. אל תמסרו אותו לאף אחד, אף פעם".PadRight(70, '.')[..70];

    [Benchmark(Baseline = true)]
    public SmsMeasure MeasureGsm160() => SmsSegments.Measure(Gsm160);

    [Benchmark]
    public SmsMeasure MeasureGsm160WithEscapes() => SmsSegments.Measure(Gsm160Escapes);

    [Benchmark]
    public SmsMeasure MeasureHebrew70() => SmsSegments.Measure(Hebrew70);
}
