using Conduit.Plugins;
using Microsoft.Extensions.DependencyInjection;

namespace Fixture.ConstructorThrows;

public sealed class ConstructorThrowsPlugin : IConduitPlugin
{
    public ConstructorThrowsPlugin() => throw new InvalidOperationException("fixture constructor failure");

    public void ConfigureServices(IServiceCollection services, PluginContext context) { }
}
