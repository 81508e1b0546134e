using Microsoft.Extensions.Configuration;

namespace Conduit.Host.Plugins;

/// <summary>Where to look for plugins and how to treat them.</summary>
public sealed class PluginLoadOptions
{
    /// <summary>
    /// Folders to load: each is either one plugin folder (it holds <c>plugin.json</c>) or a folder of plugin folders.
    /// </summary>
    public IList<string> Roots { get; } = [];

    /// <summary>The host configuration; each plugin gets its <c>plugins:&lt;id&gt;</c> section.</summary>
    public IConfiguration Configuration { get; set; } = new ConfigurationBuilder().Build();

    /// <summary>Ids to leave disabled, in addition to folders holding a <see cref="PluginManager.DisabledMarker"/> file.</summary>
    public ISet<string> Disabled { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Whether a person reads the host's terminal; when false (JSON on standard output, a server, a worker), plugins
    /// whose manifest says <c>"terminal": true</c> are left disabled.
    /// </summary>
    public bool Terminal { get; set; } = true;

    /// <summary>When set, only plugins whose files match this lock load; the others are <see cref="PluginStatus.Refused"/>.</summary>
    public PluginLock? Lock { get; set; }
}
