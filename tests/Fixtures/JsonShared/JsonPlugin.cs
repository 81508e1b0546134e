using Conduit.Accelerators;
using Conduit.Fixtures;
using Conduit.Plugins;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json;

namespace Fixture.Json;

/// <summary>Reports which Newtonsoft.Json it got: two plugins carrying different versions must each see their own.</summary>
public sealed class JsonPlugin : IConduitPlugin
{
    public void ConfigureServices(IServiceCollection services, PluginContext context) =>
        services.AddSingleton<IAccelerator>(new FactAccelerator(context.Id, () => new Dictionary<string, string>
        {
            ["newtonsoftVersion"] = typeof(JsonConvert).Assembly.GetName().Version!.ToString(),
            ["newtonsoftLocation"] = typeof(JsonConvert).Assembly.Location,
            ["roundTrip"] = JsonConvert.SerializeObject(new { answer = 42 }),
        }));
}
