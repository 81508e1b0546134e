using Conduit.Configuration;
using System.Reflection;
using System.Runtime.Loader;
using Conduit.Data;
using Conduit.Frameworks;
using Conduit.Plugins;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Frameworks.TorchSharp.Tests;

/// <summary>
/// The plugin, loaded into a load context of the host's kind, as the host loads it, registers its framework and trains with the
/// libtorch natives from its own folder (libLibTorchSharp.so there is the build's patched copy).
/// </summary>
public sealed class NativeLoadingTests(LoadedPlugin plugin) : IClassFixture<LoadedPlugin>
{
    private const string SelfTestType = "Conduit.Frameworks.TorchSharp.Diagnostics.TorchSharpSelfTest";

    [Fact]
    public void The_plugin_registers_the_torchsharp_framework_through_the_shared_contract()
    {
        Type entry = Assert.Single(plugin.Assembly.GetExportedTypes(), t => t is { IsClass: true, IsAbstract: false } && typeof(IConduitPlugin).IsAssignableFrom(t));
        var instance = (IConduitPlugin)Activator.CreateInstance(entry)!;
        var services = new ServiceCollection();
        var context = new PluginContext("torchsharp", new Version(0, 1, 0), plugin.Folder, new ConfigurationBuilder().Build(), new Version(0, 1, 0));

        instance.ConfigureServices(services, context);
        using ServiceProvider provider = services.BuildServiceProvider();
        ITrainingFramework framework = Assert.Single(provider.GetServices<ITrainingFramework>());

        Assert.Equal("torchsharp", framework.Name);
        Assert.Equal(["mlp", "cnn", "linear", "torchscript"], framework.ModelTypes);
        IConfiguration empty = new ConfigurationBuilder().Build();
        var schema = new DataSchema(new TensorShape(8), [], TargetKind.Classification, ["a", "b"]);
        var noType = Assert.Throws<ArgumentException>(() => framework.CreateTrainingSession(new TrainingSessionOptions { Model = new SettingsReader(empty, "model"), Optimizer = new SettingsReader(empty, "optimizer"), Schema = schema, Device = "cpu", Seed = 1 }));
        Assert.Equal("model.type: is missing; expected one of mlp, cnn, linear, torchscript", noType.Message);
        Assert.Empty(provider.GetServices<IInferenceFramework>()); // it trains; ONNX Runtime runs the exported models
    }

    [Fact]
    public void TorchSharp_loads_into_the_plugin_context_from_the_plugin_folder()
    {
        Assembly torchSharp = plugin.LoadContext.LoadFromAssemblyName(new AssemblyName("TorchSharp"));

        Assert.Same(plugin.LoadContext, AssemblyLoadContext.GetLoadContext(torchSharp));
        Assert.Equal(Path.Combine(plugin.Folder, "TorchSharp.dll"), torchSharp.Location);
    }

    [Fact]
    public void A_tiny_MLP_trains_with_the_natives_of_the_plugin_folder()
    {
        Type selfTest = plugin.Assembly.GetType(SelfTestType, throwOnError: true)!;
        MethodInfo train = selfTest.GetMethod("TrainTinyMlp")!;

        var losses = (double[])Invoke(train, 40, 7);

        Assert.Equal(40, losses.Length);
        Assert.All(losses, loss => Assert.True(double.IsFinite(loss), $"loss {loss}"));
        Assert.True(losses[^1] < losses[0] * 0.5, $"the loss did not fall: {string.Join(", ", losses.Select(l => l.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)))}");
        Assert.Equal("2.10.0", ((string)Invoke(selfTest.GetMethod("LibTorchVersion")!))[..6]);

        string[] maps = File.ReadAllLines("/proc/self/maps");
        foreach (string library in new[] { "libLibTorchSharp.so", "libtorch_cpu.so", "libc10.so" })
        {
            string[] paths = [.. maps.Select(MappedPath).Where(p => p is not null && Path.GetFileName(p) == library).Distinct()!];
            Assert.True(paths.Length > 0, $"{library} is not mapped into the process");
            Assert.All(paths, p => Assert.Equal(Path.Combine(plugin.Folder, library), p));
        }
    }

    private static object Invoke(MethodInfo method, params object[] arguments)
    {
        try
        {
            return method.Invoke(null, arguments)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            // TorchSharp's NotSupportedException carries the whole native load trace: show it.
            throw new Xunit.Sdk.XunitException($"{method.Name} threw {e.InnerException}");
        }
    }

    // A /proc/self/maps line: address perms offset dev inode [path]; the path may hold spaces.
    private static string? MappedPath(string line)
    {
        string[] parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 6 && parts[5].StartsWith('/') ? parts[5].Trim() : null;
    }
}
