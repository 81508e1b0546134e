using Conduit.Plugins;
using Conduit.Tracking;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Loggers.Csv;

/// <summary>Registers the <c>csv</c> experiment logger (a job turns it on with <c>"loggers": ["csv"]</c>).</summary>
public sealed class CsvLoggerPlugin : IConduitPlugin
{
    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddScoped<IExperimentLogger, CsvExperimentLogger>();
    }
}
