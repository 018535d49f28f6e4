using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Logging;

namespace OtpClients.Tests.Infrastructure;

/// <summary>Captures everything an app could see: logs at Trace (messages, state, scopes, exceptions), activities of every source, and OtpClients metrics.</summary>
public sealed class TelemetryCapture : ILoggerProvider, IDisposable
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

    public ConcurrentBag<string> Logs { get; } = [];

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

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
        activityListener.Dispose();
        meterListener.Dispose();
    }

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

    private sealed class Logger(TelemetryCapture capture, string category) : ILogger
    {
        private readonly AsyncLocal<List<object?>> scopes = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            capture.Logs.Add($"{category} scope: {state} {Pairs(state)}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture.Logs.Add($"{logLevel} {category} [{eventId}] {formatter(state, exception)} {Pairs(state)} {exception}");

        private static string Pairs<TState>(TState state) =>
            state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
    }
}
