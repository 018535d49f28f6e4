using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Logging.Testing;

namespace OtpClients.Tests.Infrastructure;

/// <summary>
/// Captures everything an app could see: logs at Trace through Microsoft.Extensions.Diagnostics.Testing's
/// <see cref="FakeLoggerProvider"/> (messages, structured state, scopes, exceptions), activities of every source, and
/// the metrics of the OtpClients and System.Net.Http meters. Activities and metrics use plain listeners: the library's
/// <c>MetricCollector</c> follows one named instrument, and a privacy check must see every instrument.
/// </summary>
public sealed class TelemetryCapture : IDisposable
{
    private readonly ActivityListener activityListener;
    private readonly MeterListener meterListener;

    public TelemetryCapture()
    {
        activityListener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Activities.Add,
        };
        ActivitySource.AddActivityListener(activityListener);
        meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name is OtpDiagnostics.MeterName or "System.Net.Http")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meterListener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Measurements.Add(new Measurement(instrument.Name, value, Tags(tags))));
        meterListener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Measurements.Add(new Measurement(instrument.Name, value, Tags(tags))));
        meterListener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Measurements.Add(new Measurement(instrument.Name, value, Tags(tags))));
        meterListener.Start();
    }

    /// <summary>Gets the logger provider to add to the app's logging (it collects at every level).</summary>
    public FakeLoggerProvider LoggerProvider { get; } = new();

    /// <summary>Gets every captured log record as one line: level, category, event id, message, state, scopes, exception.</summary>
    public IReadOnlyList<string> Logs => LoggerProvider.Collector.GetSnapshot()
        .Select(r => $"{r.Level} {r.Category} [{r.Id}] {r.Message} {Pairs(r.StructuredState)} {string.Join(";", r.Scopes.Select(Scope))} {r.Exception}")
        .ToArray();

    public ConcurrentBag<Activity> Activities { get; } = [];

    public ConcurrentBag<Measurement> Measurements { get; } = [];

    /// <summary>Every captured text, as one string to search.</summary>
    public string AllText()
    {
        var text = new StringBuilder();
        foreach (var log in Logs)
        {
            text.AppendLine(log);
        }

        foreach (var activity in Activities)
        {
            text.Append(activity.Source.Name).Append(' ').Append(activity.OperationName).Append(' ').Append(activity.DisplayName).Append(' ').AppendLine(activity.StatusDescription);
            foreach (var tag in activity.TagObjects)
            {
                text.Append(tag.Key).Append('=').AppendLine(tag.Value?.ToString());
            }

            foreach (var e in activity.Events)
            {
                text.AppendLine(e.Name);
                foreach (var tag in e.Tags)
                {
                    text.Append(tag.Key).Append('=').AppendLine(tag.Value?.ToString());
                }
            }

            foreach (var baggage in activity.Baggage)
            {
                text.Append(baggage.Key).Append('=').AppendLine(baggage.Value);
            }
        }

        foreach (var measurement in Measurements)
        {
            text.Append(measurement.Instrument).Append(' ').AppendLine(string.Join(",", measurement.Tags.Select(t => t.Key + "=" + t.Value)));
        }

        return text.ToString();
    }

    public void Dispose()
    {
        activityListener.Dispose();
        meterListener.Dispose();
        LoggerProvider.Dispose();
    }

    private static string Pairs(IReadOnlyList<KeyValuePair<string, string?>>? pairs) =>
        pairs is null ? string.Empty : string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}"));

    private static string Scope(object? scope) =>
        scope is IEnumerable<KeyValuePair<string, object?>> pairs ? $"scope: {scope} " + string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : $"scope: {scope}";

    private static Dictionary<string, string?> Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var map = new Dictionary<string, string?>();
        foreach (var tag in tags)
        {
            map[tag.Key] = tag.Value?.ToString();
        }

        return map;
    }

    public sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, string?> Tags);
}
