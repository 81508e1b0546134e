using Conduit.Data;
using Conduit.Plugins;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.DataSources.Synthetic;

/// <summary>Registers the <c>synthetic</c> data source.</summary>
public sealed class SyntheticPlugin : IConduitPlugin
{
    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IDataSource, SyntheticDataSource>();
    }
}
