using System.Runtime.InteropServices;
using Conduit.Host.Plugins;
using Conduit.Host.Tests.Support;

namespace Conduit.Host.Tests.Plugins;

public sealed class NativePreloadTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_plugins_preload_libraries_are_loaded_from_its_folder_in_order_until_one_is_missing()
    {
        string folder = _temp.Combine("fixture.native");
        Directory.CreateDirectory(folder);
        // Copies of a library every runtime carries, under names of their own: loaded as files of this folder.
        string runtimeLibrary = Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "libSystem.Native.so");
        File.Copy(runtimeLibrary, Path.Combine(folder, "libfirst.so"));
        File.Copy(runtimeLibrary, Path.Combine(folder, "libafter.so"));
        var manifest = new PluginManifest("fixture.native", new Version(1, 0, 0), "framework", "Fixture.dll", new Version(1, 0, 0), "")
        {
            Preload = ["libfirst.so", "libmissing.so", "libafter.so"],
        };

        await NativePreload.Start(new PluginRecord(manifest.Id, folder, manifest));

        string maps = await File.ReadAllTextAsync("/proc/self/maps");
        Assert.Contains(Path.Combine(folder, "libfirst.so"), maps, StringComparison.Ordinal);
        Assert.DoesNotContain(Path.Combine(folder, "libafter.so"), maps, StringComparison.Ordinal); // the missing one ended it quietly
    }
}
