namespace Conduit.Host.Plugins;

/// <summary>
/// The model of a plugin's <c>plugin.json</c>: who the plugin is, what kind of plugin it is, which assembly to load
/// and which contract version it was built against.
/// </summary>
/// <param name="Id">A stable, unique, lower-case identifier such as <c>conduit.accelerators.cpu</c>.</param>
/// <param name="Version">The plugin's own version (SemVer). Of two plugins with one id, the newer is loaded.</param>
/// <param name="Kind">What the plugin adds: <c>accelerator</c>, <c>datasource</c>, <c>framework</c>, <c>logger</c>, <c>callback</c>, <c>model</c> or <c>tool</c>.</param>
/// <param name="EntryAssembly">The file name of the assembly that holds the <see cref="IConduitPlugin"/>.</param>
/// <param name="Abstractions">The version of Conduit.Abstractions the plugin was built against.</param>
/// <param name="Description">One sentence that tells a user what the plugin does.</param>
public sealed record PluginManifest(
    string Id,
    Version Version,
    string Kind,
    string EntryAssembly,
    Version Abstractions,
    string Description)
{
    /// <summary>The file name a plugin folder's manifest must have.</summary>
    public const string FileName = "plugin.json";

    /// <summary>
    /// Ids of plugins whose assemblies this plugin loads against (for example <c>torchsharp</c>): what its own folder
    /// does not carry is resolved from theirs, so their types are its types. A plugin whose requirement is not loaded
    /// is incompatible.
    /// </summary>
    public IReadOnlyList<string> Requires { get; init; } = [];

    /// <summary>
    /// Names of assemblies the plugin uses from the host instead of carrying its own copy, for libraries that must be
    /// one copy per process (SQLite: two copies on one database file defeat each other's locks).
    /// </summary>
    public IReadOnlyList<string> HostAssemblies { get; init; } = [];

    /// <summary>
    /// Whether the plugin talks to a person at a terminal (the console logger): it is left out, not loaded, by a host
    /// without one (<see cref="PluginLoadOptions.Terminal"/>: <c>--json</c>, <c>serve</c>, workers).
    /// </summary>
    public bool Terminal { get; init; }

    /// <summary>
    /// Native libraries in the plugin's folder, in load order, that the host loads on a background thread as soon as a
    /// job is known to train with the plugin, so that loading them (libtorch: about 0.3 s) overlaps the job's data
    /// loading. Plain file names; one that is missing or does not load is left to the plugin, which loads it itself.
    /// </summary>
    public IReadOnlyList<string> Preload { get; init; } = [];
}
