using Conduit.Accelerators;
using Conduit.Fixtures;
using Conduit.Plugins;
using Microsoft.Extensions.DependencyInjection;

namespace Fixture.ConfigureThrows;

public sealed class ConfigureThrowsPlugin : IConduitPlugin
{
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        // Registered before the failure: the host must not keep it.
        services.AddSingleton<IAccelerator>(new FactAccelerator(context.Id, () => new Dictionary<string, string>()));
        throw new InvalidOperationException("fixture registration failure");
    }
}
