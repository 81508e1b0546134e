using Conduit.Plugins;
using Conduit.Tracking;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Loggers.OpenTelemetry;

/// <summary>Registers the <c>opentelemetry</c> experiment logger (a job turns it on with <c>"loggers": ["opentelemetry"]</c>).</summary>
public sealed class OpenTelemetryPlugin : IConduitPlugin
{
    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddScoped<IExperimentLogger, OpenTelemetryExperimentLogger>();
    }
}
