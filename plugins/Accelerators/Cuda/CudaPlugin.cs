using Conduit.Plugins;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Accelerators.Cuda;

/// <summary>
/// Registers the CUDA accelerator. Configuration (<c>plugins:cuda</c>): <c>library</c>, the NVML library to load
/// instead of the platform's default (<see cref="CudaAccelerator.DefaultLibrary"/>).
/// </summary>
public sealed class CudaPlugin : IConduitPlugin
{
    /// <summary>The configuration key that names the NVML library.</summary>
    public const string LibraryKey = "library";

    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(context);
        string? library = context.Configuration[LibraryKey];
        services.AddSingleton<IAccelerator>(_ => new CudaAccelerator(library));
    }
}
