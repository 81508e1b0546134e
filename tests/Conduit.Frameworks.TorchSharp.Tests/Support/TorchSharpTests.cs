namespace Conduit.Frameworks.TorchSharp.Tests.Support;

/// <summary>The base of the session tests: the plugin's framework, and its diagnostics by reflection.</summary>
public abstract class TorchSharpTests(LoadedPlugin plugin) : IClassFixture<LoadedPlugin>
{
    private ITrainingFramework? _framework;

    /// <summary>The loaded plugin.</summary>
    protected LoadedPlugin Plugin { get; } = plugin;

    /// <summary>The framework the plugin registers.</summary>
    protected ITrainingFramework Framework => _framework ??= Plugin.Framework();

    /// <summary>Every weight of <paramref name="session"/>, flattened.</summary>
    protected float[] Weights(ITrainingSession session) => (float[])Plugin.Diagnostic("TorchSharpSessionProbe", "Parameters", session)!;

    /// <summary>TorchSharp's count of live tensors on this thread.</summary>
    protected long LiveTensors() => (long)Plugin.Diagnostic("TorchSharpSessionProbe", "LiveTensorsOnThisThread")!;
}
