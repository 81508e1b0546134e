using Conduit.Plugins;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MyPlugin;

/// <summary>The plugin's entry: the host creates it once and lets it register its services.</summary>
public sealed class MyPluginPlugin : IConduitPlugin
{
    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
#if (kind == "logger")
        // Scoped: the host creates one per run, in the run's scope, with its RunContext.
        services.TryAddEnumerable(ServiceDescriptor.Scoped<Conduit.Tracking.IExperimentLogger, MyPluginLogger>());
#elif (kind == "datasource")
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Conduit.Data.IDataSource, MyPluginDataSource>());
#elif (kind == "callback")
        // Scoped: the host creates one per run, in the run's scope, with its RunContext and ITrainerContext.
        services.TryAddEnumerable(ServiceDescriptor.Scoped<Conduit.Training.ITrainerCallback, MyPluginCallback>());
#elif (kind == "model")
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Conduit.Frameworks.TorchSharp.Models.ITorchArchitecture, MyPluginArchitecture>());
#endif
    }
}
