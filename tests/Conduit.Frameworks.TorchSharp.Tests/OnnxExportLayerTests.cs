using Conduit.Frameworks.TorchSharp.Tests.Support;
using static TorchSharp.torch;

namespace Conduit.Frameworks.TorchSharp.Tests;

/// <summary>The exporter names what it cannot translate instead of writing a model that computes something else.</summary>
public sealed class OnnxExportLayerTests(LoadedPlugin plugin) : TorchSharpTests(plugin)
{
    [Fact]
    public void A_layer_without_an_onnx_translation_fails_export_naming_the_layer_and_its_type()
    {
        TorchSharpBinding.EnsureNatives(Plugin);
        using var model = nn.Sequential(("fc1", nn.Linear(4, 3)), ("soft1", nn.Softplus()));
        using var destination = new MemoryStream();
        var error = Assert.ThrowsAny<Exception>(() => Plugin.Diagnostic("OnnxExportProbe", "Export", model, new[] { 4 }, 3, destination));
        Assert.Contains("Layer 'soft1' (Softplus) has no ONNX translation", error.Message, StringComparison.Ordinal);
        Assert.Contains("Linear, Conv2d", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hand_made_sequential_of_known_layers_exports()
    {
        TorchSharpBinding.EnsureNatives(Plugin);
        using var model = nn.Sequential(("fc1", nn.Linear(4, 6)), ("act1", nn.Tanh()), ("fc2", nn.Linear(6, 3)));
        using var destination = new MemoryStream();
        Plugin.Diagnostic("OnnxExportProbe", "Export", model, new[] { 4 }, 3, destination);
        // Two weight matrices and two biases, raw little-endian floats inside the protobuf.
        Assert.True(destination.Length > (4 * 6 + 6 + 6 * 3 + 3) * sizeof(float), $"{destination.Length} bytes");
    }
}
