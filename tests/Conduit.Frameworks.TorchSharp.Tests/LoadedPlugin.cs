using System.Reflection;
using Conduit.Plugins;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.Options;

namespace Conduit.Frameworks.TorchSharp.Tests;

/// <summary>The built plugin folder, loaded once per test run exactly as the host's PluginManager loads a plugin.</summary>
public sealed class LoadedPlugin
{
    public LoadedPlugin()
    {
        Folder = FindPluginFolder();
        Loader = PluginLoader.CreateFromAssemblyFile(
            Path.Combine(Folder, EntryAssemblyName),
            isUnloadable: false,
            sharedTypes: [typeof(IConduitPlugin), typeof(IOptions<>)],
            config => config.PreferSharedTypes = false);
        Assembly = Loader.LoadDefaultAssembly();
    }

    public const string EntryAssemblyName = "Conduit.Frameworks.TorchSharp.dll";

    /// <summary>artifacts/plugins/torchsharp, with a trailing separator.</summary>
    public string Folder { get; }

    public PluginLoader Loader { get; }

    public Assembly Assembly { get; }

    private static string FindPluginFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Host.sln")))
            {
                string folder = Path.Combine(dir.FullName, "artifacts", "plugins", "torchsharp") + Path.DirectorySeparatorChar;
                return File.Exists(Path.Combine(folder, EntryAssemblyName))
                    ? folder
                    : throw new InvalidOperationException($"{folder} holds no {EntryAssemblyName}: build plugins/Frameworks/TorchSharp first");
            }
        }
        throw new InvalidOperationException("Host.sln not found above the test assembly.");
    }
}
