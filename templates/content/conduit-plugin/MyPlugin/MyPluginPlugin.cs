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
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Conduit.Tracking.IExperimentLogger, MyPluginLogger>());
#elif (kind == "datasource")
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Conduit.Data.IDataSource, MyPluginDataSource>());
#elif (kind == "callback")
        // The job's plugins.<id> section, as the host hands it over.
        services.AddSingleton(new MyPluginSettings(int.TryParse(context.Configuration["stop_after_epochs"], out int epochs) ? epochs : 3));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Conduit.Training.ITrainerCallback, MyPluginCallback>());
#elif (kind == "model")
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Conduit.Frameworks.TorchSharp.Models.ITorchArchitecture, MyPluginArchitecture>());
#endif
    }
}
