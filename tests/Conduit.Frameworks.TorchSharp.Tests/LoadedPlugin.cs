using System.Reflection;
using Conduit.Plugins;
using Conduit.Host.Plugins;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Frameworks.TorchSharp.Tests;

/// <summary>
/// The built plugin folder, loaded exactly as the host's PluginManager loads a plugin, once per test run: every
/// fixture shares one load context, so the test's TorchSharp and the plugin's are one assembly (see TorchSharpBinding).
/// </summary>
public sealed class LoadedPlugin
{
    private static readonly Lazy<(string Folder, PluginLoadContext LoadContext, Assembly Assembly)> Once = new(Load);

    public LoadedPlugin() => (Folder, LoadContext, Assembly) = Once.Value;

    public const string EntryAssemblyName = "Conduit.Frameworks.TorchSharp.dll";

    /// <summary>artifacts/plugins/torchsharp, with a trailing separator.</summary>
    public string Folder { get; }

    /// <summary>The plugin's load context, the host's kind.</summary>
    public PluginLoadContext LoadContext { get; }

    public Assembly Assembly { get; }

    /// <summary>The <c>torchsharp</c> framework, from the services the plugin registers.</summary>
    public ITrainingFramework Framework()
    {
        Type entry = Assembly.GetExportedTypes().Single(t => t is { IsClass: true, IsAbstract: false } && typeof(IConduitPlugin).IsAssignableFrom(t));
        var services = new ServiceCollection();
        ((IConduitPlugin)Activator.CreateInstance(entry)!).ConfigureServices(services, new PluginContext("torchsharp", new Version(0, 1, 0), Folder, new ConfigurationBuilder().Build(), new Version(0, 1, 0)));
        return services.BuildServiceProvider().GetServices<ITrainingFramework>().Single(f => f.Name == "torchsharp");
    }

    /// <summary>A public static method of the plugin's Diagnostics namespace, called as the host would call it: by reflection.</summary>
    public object? Diagnostic(string type, string method, params object[] arguments)
    {
        MethodInfo target = Assembly.GetType($"Conduit.Frameworks.TorchSharp.Diagnostics.{type}", throwOnError: true)!.GetMethod(method)!;
        try
        {
            return target.Invoke(null, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new Xunit.Sdk.XunitException($"{type}.{method} threw {e.InnerException}");
        }
    }

    private static (string, PluginLoadContext, Assembly) Load()
    {
        string folder = FindPluginFolder();
        string entry = Path.Combine(folder, EntryAssemblyName);
        var context = new PluginLoadContext(entry, hostAssemblies: []);
        return (folder, context, context.LoadFromAssemblyPath(entry));
    }

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
