using Conduit.Data;
using Conduit.Plugins;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.DataSources.Csv;

/// <summary>Registers the <c>csv</c> data source.</summary>
public sealed class CsvPlugin : IConduitPlugin
{
    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IDataSource, CsvDataSource>();
    }
}
