using Conduit.Messages;
using Conduit.Tracking;
using Microsoft.Extensions.Configuration;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Conduit.Loggers.OpenTelemetry;

/// <summary>
/// Exports the host's <c>Conduit.Training</c> meter and activity source with the OpenTelemetry SDK, when the job's
/// <c>loggers</c> names <c>opentelemetry</c>: <c>loggers.opentelemetry.exporter</c> is <c>console</c> (default) or
/// <c>otlp</c> (<c>endpoint</c>, default http://localhost:4317). The providers start with the host, before the run's
/// first message, so the run's span is recorded; each run's end flushes them.
/// </summary>
public sealed class OpenTelemetryExperimentLogger : IExperimentLogger, IDisposable
{
    private const string Source = "Conduit.Training";

    private readonly MeterProvider? _meters;
    private readonly TracerProvider? _traces;

    /// <summary>Starts the exporters the job's configuration asks for (none when the job does not name this logger).</summary>
    public OpenTelemetryExperimentLogger(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        IConfigurationSection loggers = configuration.GetSection("loggers");
        bool named = loggers.GetChildren().Any(c => string.Equals(c.Value ?? c.Key, Name, StringComparison.OrdinalIgnoreCase));
        if (!named)
        {
            return;
        }
        IConfigurationSection settings = loggers.GetSection(Name);
        bool otlp = string.Equals(settings["exporter"], "otlp", StringComparison.OrdinalIgnoreCase);
        var endpoint = new Uri(settings["endpoint"] is { Length: > 0 } e ? e : "http://localhost:4317");
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
    public ValueTask LogArtifactAsync(ArtifactSaved artifact, CancellationToken cancellationToken) => ValueTask.CompletedTask;

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
