using Conduit.Messages;
using Conduit.Configuration;
using Conduit.Tracking;
using Conduit.Training;
using Microsoft.Extensions.Configuration;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Conduit.Loggers.OpenTelemetry;

/// <summary>
/// Exports the host's <c>Conduit.Training</c> meter and activity source with the OpenTelemetry SDK, when the job's
/// <c>loggers</c> names <c>opentelemetry</c>: <c>loggers.opentelemetry.exporter</c> is <c>console</c> (default) or
/// <c>otlp</c> (<c>endpoint</c>, default http://localhost:4317). The providers start with the run's scope, before the
/// run's first message, so the run's span is recorded; the run's end flushes them and the scope's end disposes them.
/// </summary>
public sealed class OpenTelemetryExperimentLogger : IExperimentLogger, IDisposable
{
    private const string Source = "Conduit.Training";

    private readonly MeterProvider? _meters;
    private readonly TracerProvider? _traces;

    /// <summary>Starts the exporters the job's settings ask for (none when the job does not name this logger).</summary>
    public OpenTelemetryExperimentLogger(RunContext run)
    {
        ArgumentNullException.ThrowIfNull(run);
        IConfiguration loggers = run.Settings.Section("loggers").Configuration;
        bool named = loggers.GetChildren().Any(c => string.Equals(c.Value ?? c.Key, Name, StringComparison.OrdinalIgnoreCase));
        SettingsReader settings = run.LoggerSettings(Name);
        bool otlp = settings.Choice("exporter", "console", "console", "otlp") == "otlp";
        string endpointText = settings.String("endpoint", "http://localhost:4317");
        if (!named)
        {
            return;
        }
        if (!Uri.TryCreate(endpointText, UriKind.Absolute, out Uri? endpoint))
        {
            settings.NotAllowed("endpoint", endpointText, "an absolute URI such as http://localhost:4317");
            return;
        }
        ResourceBuilder resource = ResourceBuilder.CreateDefault().AddService("conduit");
        MeterProviderBuilder meters = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource).AddMeter(Source);
        TracerProviderBuilder traces = Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource).AddSource(Source);
        _meters = (otlp ? meters.AddOtlpExporter(o => o.Endpoint = endpoint) : meters.AddConsoleExporter()).Build();
        _traces = (otlp ? traces.AddOtlpExporter(o => o.Endpoint = endpoint) : traces.AddConsoleExporter()).Build();
    }

    /// <inheritdoc/>
    public string Name => "opentelemetry";

    /// <inheritdoc/>
    public ValueTask RunStartedAsync(RunStarted run, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc/>
    public ValueTask LogMetricsAsync(MetricsLogged metrics, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc/>
    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask; // exporters, not a record

    /// <inheritdoc/>
    public ValueTask RunEndedAsync(RunEnded run, CancellationToken cancellationToken)
    {
        // The run's span ends on RunEnded too; flushing here exports it with the metrics collected so far.
        _traces?.ForceFlush();
        _meters?.ForceFlush();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _traces?.Dispose();
        _meters?.Dispose();
    }
}
