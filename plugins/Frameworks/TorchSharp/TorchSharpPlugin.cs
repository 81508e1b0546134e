using Conduit.Frameworks;
using Conduit.Plugins;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Conduit.Frameworks.TorchSharp;

/// <summary>Registers the <c>torchsharp</c> framework adapter. Registration does not touch libtorch: the natives load on first use.</summary>
public sealed class TorchSharpPlugin : IConduitPlugin
{
    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITrainingFramework, TorchSharpFramework>());
    }
}
