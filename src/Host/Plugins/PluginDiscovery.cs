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
            foreach (string folder in Directory.EnumerateDirectories(root))
            {
                folders.Add(folder);
            }
        }
        return [.. folders];
    }

    /// <summary>
    /// The default roots: a <c>plugins</c> folder next to the executable, then the nearest <c>artifacts/plugins</c>
    /// above it (a build from source).
    /// </summary>
    public static IReadOnlyList<string> DefaultRoots(string baseDirectory)
    {
        var roots = new List<string>();
        string besideExecutable = Path.Combine(baseDirectory, "plugins");
        if (Directory.Exists(besideExecutable))
        {
            roots.Add(besideExecutable);
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
