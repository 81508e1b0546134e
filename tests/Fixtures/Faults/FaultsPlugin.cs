using Conduit.Data;
using Conduit.Plugins;
using Conduit.Tracking;
using Conduit.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Fixture.Faults;

/// <summary>
/// Fault injection: each part does nothing unusual until a job's settings name the hook and the moment it throws
/// (<c>plugins.faults.*</c> for the callback, <c>loggers.faults.*</c> for the logger, <c>data.fail_*</c> for the source).
/// </summary>
public sealed class FaultsPlugin : IConduitPlugin
{
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        services.TryAddEnumerable(ServiceDescriptor.Scoped<ITrainerCallback, FaultyCallback>());
        services.TryAddEnumerable(ServiceDescriptor.Scoped<IExperimentLogger, FaultyLogger>());
        services.AddSingleton<IDataSource, FaultyDataSource>();
    }
}
