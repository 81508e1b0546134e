using Conduit.Plugins;

namespace Conduit.Host.Plugins;

/// <summary>Finds plugin folders under the configured roots.</summary>
public static class PluginDiscovery
{
    /// <summary>
    /// Every plugin folder under <paramref name="roots"/>: a root holding <c>plugin.json</c> is one plugin; otherwise
    /// each of its sub-folders is one (with or without a manifest, so that a folder missing one is reported).
    /// Missing roots are skipped; each folder is listed once, in ordinal order.
    /// </summary>
    public static IReadOnlyList<string> FindPluginFolders(IEnumerable<string> roots)
    {
        var folders = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string root in roots.Select(Path.GetFullPath).Where(Directory.Exists))
        {
            if (File.Exists(Path.Combine(root, PluginManifest.FileName)))
            {
                folders.Add(root);
                continue;
            }
            // Hidden folders are not plugins: 'conduit plugins install' lays out and swaps plugin folders through them.
            foreach (string folder in Directory.EnumerateDirectories(root).Where(f => !Path.GetFileName(f).StartsWith('.')))
            {
                folders.Add(folder);
            }
        }
        return [.. folders];
    }

    /// <summary>Where <c>conduit plugins install</c> puts plugins unless given <c>--plugins DIR</c>: the user's own folder.</summary>
    public static string UserFolder { get; } =
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "conduit", "plugins");

    /// <summary>The plugins that come with the host (an installed tool carries the small ones beside its executable); null when there are none.</summary>
    public static string? BundledRoot(string baseDirectory) =>
        Path.Combine(baseDirectory, "plugins") is { } folder && Directory.Exists(folder) ? folder : null;

    /// <summary>
    /// The default roots: the plugins beside the executable, the user's folder (<see cref="UserFolder"/>), then the
    /// nearest <c>artifacts/plugins</c> above the executable (a build from source).
    /// </summary>
    public static IReadOnlyList<string> DefaultRoots(string baseDirectory)
    {
        var roots = new List<string>();
        if (BundledRoot(baseDirectory) is { } bundled)
        {
            roots.Add(bundled);
        }
        if (Directory.Exists(UserFolder))
        {
            roots.Add(UserFolder);
        }
        for (DirectoryInfo? dir = new(baseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "artifacts", "plugins");
            if (Directory.Exists(candidate))
            {
                roots.Add(candidate);
                break;
            }
        }
        return roots;
    }
}
