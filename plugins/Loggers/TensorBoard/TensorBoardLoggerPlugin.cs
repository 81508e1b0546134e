using Conduit.Plugins;
using Conduit.Tracking;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Loggers.TensorBoard;

/// <summary>Registers the <c>tensorboard</c> experiment logger (a job turns it on with <c>"loggers": ["tensorboard"]</c>).</summary>
public sealed class TensorBoardLoggerPlugin : IConduitPlugin
{
    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddScoped<IExperimentLogger, TensorBoardExperimentLogger>();
    }
}
