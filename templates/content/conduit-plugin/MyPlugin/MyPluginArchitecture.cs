using Conduit.Frameworks.TorchSharp.Models;
using static TorchSharp.torch;

namespace MyPlugin;

/// <summary>
/// <c>"model": { "type": "PLUGIN_ID_VALUE", "width": 64 }</c>: a model architecture for the torchsharp framework.
/// The plugin loads against the torchsharp plugin's assemblies (plugin.json requires it), so these TorchSharp types
/// are the framework's.
/// </summary>
public sealed class MyPluginArchitecture : ITorchArchitecture
{
    /// <inheritdoc/>
    public string Name => "PLUGIN_ID_VALUE";

    /// <inheritdoc/>
    public nn.Module<Tensor, Tensor> Build(TorchArchitectureContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Declared once, with its default and range: a misspelt or bad key is refused with the job's other problems.
        int width = context.Settings.Int("width", 64, 1);
        long inputs = context.InputShape.Aggregate(1L, (product, d) => product * d);
        return nn.Sequential(
            ("flatten", nn.Flatten()),
            ("fc1", nn.Linear(inputs, width)),
            ("act1", nn.ReLU()),
            ("fc2", nn.Linear(width, context.Outputs)));
    }
}
