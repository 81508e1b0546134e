using System.Text.Json;

namespace Conduit.Build.Tests.Support;

/// <summary>Where the built TorchSharp plugin and the restored TorchSharp package are.</summary>
internal static class RepoPaths
{
    public const string LibTorchSharp = "libLibTorchSharp.so";

    public static string Root { get; } = FindRoot();

    /// <summary>The TorchSharp plugin's folder, as the build lays it out (its libLibTorchSharp.so is patched).</summary>
    public static string TorchSharpPlugin => Path.Combine(Root, "artifacts", "plugins", "torchsharp");

    /// <summary>
    /// The unpatched libLibTorchSharp.so in the package folder the TorchSharp plugin restored from, found through the
    /// plugin's project.assets.json (its packageFolders and the TorchSharp library's path), so NUGET_PACKAGES and
    /// custom package folders are honoured.
    /// </summary>
    public static string PackageLibTorchSharp()
    {
        string assets = Path.Combine(Root, "plugins", "Frameworks", "TorchSharp", "obj", "project.assets.json");
        const string asset = "runtimes/linux-x64/native/" + LibTorchSharp;
        var tried = new List<string>();
        if (File.Exists(assets))
        {
            using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(assets));
            string[] folders = [.. json.RootElement.GetProperty("packageFolders").EnumerateObject().Select(p => p.Name)];
            foreach (JsonProperty library in json.RootElement.GetProperty("libraries").EnumerateObject())
            {
                if (!library.Value.TryGetProperty("files", out JsonElement files) || !files.EnumerateArray().Any(f => f.GetString() == asset))
                {
                    continue;
                }
                string relative = library.Value.GetProperty("path").GetString()!;
                foreach (string folder in folders)
                {
                    string candidate = Path.Combine(folder, relative, asset);
                    tried.Add(candidate);
                    if (File.Exists(candidate))
                    {
                        return candidate;
                    }
                }
            }
        }
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string fallback = Path.Combine(cache, "torchsharp", "0.107.0", asset);
        tried.Add(fallback);
        return File.Exists(fallback)
            ? fallback
            : throw new FileNotFoundException($"{LibTorchSharp} of the TorchSharp package not found; build plugins/Frameworks/TorchSharp first. Tried: {string.Join(", ", tried)}");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Host.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Host.sln not found above the test assembly.");
    }
}
