using Conduit.Accelerators;
using Conduit.Fixtures;
using Conduit.Plugins;
using Microsoft.Extensions.DependencyInjection;

namespace Fixture.Versioned;

public sealed class VersionedPlugin : IConduitPlugin
{
    public void ConfigureServices(IServiceCollection services, PluginContext context) =>
        services.AddSingleton<IAccelerator>(new FactAccelerator(context.Id, () => new Dictionary<string, string>
        {
            ["version"] = context.Version.ToString(3),
        }));
}
