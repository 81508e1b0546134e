using NuGet.Frameworks;
using NuGet.Packaging;

namespace Conduit.Host.Plugins.Install;

/// <summary>
/// Lays out a plugin folder from packages as a linux-x64 build of the plugin does: flat, the assemblies of the
/// nearest framework beside the natives of the nearest runtime, and the plugin package's own <c>plugin/</c> folder
/// (plugin.json, its assemblies, its deps.json) over them.
/// </summary>
internal static class PluginFolderLayout
{
    /// <summary>The folder inside a plugin package that becomes the plugin folder.</summary>
    public const string PluginFolder = "plugin/";

    // The runtime identifiers whose assets a linux-x64 host can load, most specific first.
    private static readonly string[] Runtimes = ["linux-x64", "linux", "unix"];

    /// <summary>Whether the package is a Conduit plugin package (it has <c>plugin/plugin.json</c>).</summary>
    public static bool IsPluginPackage(PackageArchiveReader package) =>
        package.GetFiles().Any(f => f.Equals(PluginFolder + PluginManifest.FileName, StringComparison.Ordinal));

    /// <summary>Copies what linux-x64 needs of a dependency package into <paramref name="folder"/>.</summary>
    /// <param name="package">The dependency package.</param>
    /// <param name="folder">The plugin folder being laid out.</param>
    /// <param name="natives">The native file names the plugin's build used (<see cref="PluginNativeAssets"/>); null for all.</param>
    public static void AddDependency(PackageArchiveReader package, string folder, IReadOnlySet<string>? natives)
    {
        var files = package.GetFiles().ToList();
        CopyNearest(package, files, "lib/", folder);
        foreach (string runtime in Runtimes)
        {
            // Runtime-specific assemblies replace the portable ones of the same name.
            if (CopyNearest(package, files, $"runtimes/{runtime}/lib/", folder))
            {
                break;
            }
        }
        foreach (string runtime in Runtimes)
        {
            string prefix = $"runtimes/{runtime}/native/";
            var found = files.Where(f => f.StartsWith(prefix, StringComparison.Ordinal) && !f.EndsWith('/')).ToList();
            found.Where(f => natives?.Contains(Path.GetFileName(f)) != false).ToList().ForEach(f => Copy(package, f, f[prefix.Length..], folder));
            if (found.Count > 0)
            {
                break;
            }
        }
    }

    /// <summary>Copies the plugin package's <c>plugin/</c> folder into <paramref name="folder"/>, over what its dependencies put there.</summary>
    public static void AddPlugin(PackageArchiveReader package, string folder)
    {
        foreach (string file in package.GetFiles().Where(f => f.StartsWith(PluginFolder, StringComparison.Ordinal) && !f.EndsWith('/')))
        {
            Copy(package, file, file[PluginFolder.Length..], folder);
        }
    }

    // The assemblies under prefix/<tfm>/ of the framework nearest the host's; false when no framework there fits.
    private static bool CopyNearest(PackageArchiveReader package, List<string> files, string prefix, string folder)
    {
        var byFramework = files.Where(f => f.StartsWith(prefix, StringComparison.Ordinal) && f.IndexOf('/', prefix.Length) > prefix.Length)
            .GroupBy(f => f[prefix.Length..f.IndexOf('/', prefix.Length)])
            .Select(g => (Framework: NuGetFramework.ParseFolder(g.Key), Files: g.ToList()))
            .Where(g => !g.Framework.IsUnsupported)
            .ToList();
        NuGetFramework? nearest = new FrameworkReducer().GetNearest(PluginDependencies.Framework, byFramework.Select(g => g.Framework));
        if (nearest is null)
        {
            return false;
        }
        foreach (string file in byFramework.First(g => g.Framework.Equals(nearest)).Files)
        {
            string relative = file[(file.IndexOf('/', prefix.Length) + 1)..];
            // Assemblies only (satellite ones in their culture folders): not "_._" (a framework supported with
            // nothing to copy), documentation or symbols.
            if (relative.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && !relative.Contains("_._", StringComparison.Ordinal))
            {
                Copy(package, file, relative, folder);
            }
        }
        return true;
    }

    private static void Copy(PackageArchiveReader package, string entry, string relative, string folder)
    {
        string destination = Path.GetFullPath(Path.Combine(folder, relative));
        if (!destination.StartsWith(Path.GetFullPath(folder).TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            throw new PluginInstallException($"{package.GetIdentity()}: entry '{entry}' would be written outside the plugin folder; refusing the package");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        using Stream source = package.GetStream(entry);
        using FileStream target = File.Create(destination);
        source.CopyTo(target);
    }
}
