using System.Text.Json;
using NuGet.Packaging;

namespace Conduit.Host.Plugins.Install;

/// <summary>
/// The native libraries a plugin's build put in its folder, as its deps.json lists them: an install copies those of
/// its dependencies' natives and no others (the torchsharp plugin's build leaves out about 35 MB of libtorch
/// libraries only PyTorch's Python package and libtorch's tests load).
/// </summary>
internal static class PluginNativeAssets
{
    /// <summary>The file names of the native assets the plugin package's deps.json lists; null when it has none to go by.</summary>
    public static IReadOnlySet<string>? Read(PackageArchiveReader plugin)
    {
        string? deps = plugin.GetFiles().FirstOrDefault(f => f.StartsWith(PluginFolderLayout.PluginFolder, StringComparison.Ordinal)
            && f.IndexOf('/', PluginFolderLayout.PluginFolder.Length) < 0 && f.EndsWith(".deps.json", StringComparison.Ordinal));
        if (deps is null)
        {
            return null;
        }
        using Stream stream = plugin.GetStream(deps);
        using JsonDocument document = JsonDocument.Parse(stream);
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (document.RootElement.TryGetProperty("targets", out JsonElement targets))
        {
            foreach (JsonElement library in targets.EnumerateObject().SelectMany(t => t.Value.EnumerateObject()).Select(l => l.Value))
            {
                // RID-specific builds list "native"; portable ones list "runtimeTargets" with an assetType.
                if (library.TryGetProperty("native", out JsonElement native))
                {
                    names.UnionWith(native.EnumerateObject().Select(a => Path.GetFileName(a.Name)));
                }
                if (library.TryGetProperty("runtimeTargets", out JsonElement runtimeTargets))
                {
                    names.UnionWith(runtimeTargets.EnumerateObject()
                        .Where(a => a.Value.TryGetProperty("assetType", out JsonElement type) && type.GetString() == "native")
                        .Select(a => Path.GetFileName(a.Name)));
                }
            }
        }
        return names;
    }
}
