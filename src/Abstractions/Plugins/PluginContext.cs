using Microsoft.Extensions.Configuration;

namespace Conduit.Plugins;

/// <summary>What the host tells a plugin while it registers its services.</summary>
/// <param name="Id">The plugin's id, from its <c>plugin.json</c>.</param>
/// <param name="Version">The plugin's version, from its <c>plugin.json</c>.</param>
/// <param name="Directory">The absolute path of the plugin's folder (its assemblies, natives and data live there).</param>
/// <param name="Configuration">The plugin's configuration section (<c>plugins:&lt;id&gt;</c>); empty when none is given.</param>
/// <param name="HostVersion">The version of the host that loads the plugin.</param>
public sealed record PluginContext(string Id, Version Version, string Directory, IConfiguration Configuration, Version HostVersion);
