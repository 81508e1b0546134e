using Conduit.Plugins;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Conduit.Frameworks.Onnx;

/// <summary>Registers the <c>onnx</c> framework adapter. Registration does not touch ONNX Runtime: its natives load on first use.</summary>
public sealed class OnnxPlugin : IConduitPlugin
{
    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(context);
        services.TryAddSingleton(new OnnxRuntimeNatives(context.Directory));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IInferenceFramework, OnnxFramework>());
    }
}
