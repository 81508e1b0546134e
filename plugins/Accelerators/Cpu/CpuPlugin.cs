using Conduit.Plugins;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Accelerators.Cpu;

/// <summary>Registers the CPU accelerator.</summary>
public sealed class CpuPlugin : IConduitPlugin
{
    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IAccelerator, CpuAccelerator>();
    }
}
