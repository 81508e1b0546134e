using Microsoft.Extensions.Configuration;

namespace Conduit.Plugins.Tests;

/// <summary>Builds the <see cref="PluginContext"/> a host would hand a plugin.</summary>
internal static class PluginTestContext
{
    public static PluginContext For(string id, string kind, IDictionary<string, string?>? settings = null)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var version = new Version(0, 1, 0);
        return new PluginContext(id, version, AppContext.BaseDirectory, configuration, version);
    }
}
