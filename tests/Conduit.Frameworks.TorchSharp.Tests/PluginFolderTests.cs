using System.Text.Json;

namespace Conduit.Frameworks.TorchSharp.Tests;

/// <summary>What the build puts into artifacts/plugins/torchsharp.</summary>
public sealed class PluginFolderTests(LoadedPlugin plugin) : IClassFixture<LoadedPlugin>
{
    [Fact]
    public void The_manifest_names_the_plugin_and_its_entry_assembly()
    {
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(plugin.Folder, "plugin.json")));

        Assert.Equal("torchsharp", manifest.RootElement.GetProperty("id").GetString());
        Assert.Equal("framework", manifest.RootElement.GetProperty("kind").GetString());
        Assert.Equal(LoadedPlugin.EntryAssemblyName, manifest.RootElement.GetProperty("entryAssembly").GetString());
    }

    [Fact]
    public void It_holds_the_linux_x64_natives_beside_the_assemblies_and_nothing_for_other_platforms()
    {
        string[] files = [.. Directory.GetFiles(plugin.Folder).Select(Path.GetFileName)!];

        Assert.Subset(files.ToHashSet(), new HashSet<string> { "libLibTorchSharp.so", "libtorch.so", "libtorch_cpu.so", "libc10.so", "libgomp-98b21ff3.so.1", "TorchSharp.dll" });
        Assert.Empty(Directory.GetDirectories(plugin.Folder)); // no runtimes/<rid>/native trees
        Assert.DoesNotContain(files, f => f.EndsWith(".dll", StringComparison.Ordinal) && !IsManaged(Path.Combine(plugin.Folder, f)));
        Assert.DoesNotContain(files, f => f.EndsWith(".dylib", StringComparison.Ordinal));
        Assert.DoesNotContain("libtorch_python.so", files);
        Assert.DoesNotContain(files, f => f.Contains("_test", StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => f.StartsWith("Conduit.Abstractions", StringComparison.Ordinal) || f.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal));
    }

    private static bool IsManaged(string path)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
