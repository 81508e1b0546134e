using Conduit.Plugins;
using Conduit.Tracking;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Loggers.Sqlite;

/// <summary>Registers the <c>sqlite</c> experiment logger (a job turns it on with <c>"loggers": ["sqlite"]</c>).</summary>
public sealed class SqliteLoggerPlugin : IConduitPlugin
{
    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddScoped<IExperimentLogger, SqliteExperimentLogger>();
    }
}
