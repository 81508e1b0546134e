using Conduit.Frameworks.TorchSharp.Models;
using Conduit.Plugins;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Conduit.Samples.ResidualMlp;

/// <summary>Adds the <c>residual_mlp</c> architecture to the torchsharp framework.</summary>
public sealed class ResidualMlpPlugin : IConduitPlugin
{
    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services, PluginContext context) =>
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITorchArchitecture, ResidualMlpArchitecture>());
}
