using Conduit.Data;
using Conduit.Plugins;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.DataSources.Idx;

/// <summary>Registers the <c>idx</c> data source.</summary>
public sealed class IdxPlugin : IConduitPlugin
{
    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IDataSource, IdxDataSource>();
    }
}
