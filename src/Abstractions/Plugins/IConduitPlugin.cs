using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Plugins;

/// <summary>
/// The entry point of a plugin: the host creates one instance of the single public type in the plugin's entry
/// assembly that implements this interface, and lets it register its services.
/// </summary>
/// <remarks>
/// The instance is created with a parameterless constructor. Keep construction and registration cheap and free of
/// side effects: the work belongs in the registered services. An exception thrown here marks the plugin as
/// malfunctioned; none of its registrations are kept and the host goes on without it.
/// </remarks>
public interface IConduitPlugin
{
    /// <summary>Registers the plugin's services (accelerators, data sources, loggers, message handlers, ...).</summary>
    /// <param name="services">The host's service collection; registrations are attributed to this plugin.</param>
    /// <param name="context">What the host knows about the plugin: its manifest, folder and configuration.</param>
    void ConfigureServices(IServiceCollection services, PluginContext context);
}
