using System.Runtime.InteropServices;

namespace Conduit.Host.Plugins;

/// <summary>
/// Loads a plugin's <see cref="PluginManifest.Preload"/> libraries on a background thread, so that a framework's
/// natives (libtorch) load while the host reads a job's data instead of after it.
/// </summary>
/// <remarks>
/// A library is loaded once per process: when the plugin loads the same file itself, it gets the handle loaded here,
/// or waits for the load in progress. Failures are the plugin's to report when it loads the file, with its own advice,
/// so a library that does not load here ends the preload quietly.
/// </remarks>
internal static class NativePreload
{
    /// <summary>Starts loading <paramref name="plugin"/>'s preload libraries, if it names any; nobody needs to wait for it.</summary>
    public static Task Start(PluginRecord plugin) =>
        plugin.Manifest is { Preload.Count: > 0 } manifest ? Task.Run(() => Load(plugin.Directory, manifest.Preload)) : Task.CompletedTask;

    private static void Load(string folder, IReadOnlyList<string> files)
    {
        foreach (string file in files)
        {
            if (!NativeLibrary.TryLoad(Path.Combine(folder, file), out _))
            {
                return;
            }
        }
    }
}
