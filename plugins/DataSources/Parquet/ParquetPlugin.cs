using Conduit.Data;
using Conduit.Plugins;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.DataSources.Parquet;

/// <summary>Registers the <c>parquet</c> data source.</summary>
public sealed class ParquetPlugin : IConduitPlugin
{
    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IDataSource, ParquetDataSource>();
    }
}
