using Conduit.Frameworks.TorchSharp.Export;
using Conduit.Frameworks.TorchSharp.Losses;
using Conduit.Frameworks.TorchSharp.Models;
using TorchSharp.Modules;

namespace Conduit.Frameworks.TorchSharp.Diagnostics;

/// <summary>
/// Runs the ONNX exporter on any TorchSharp <see cref="Sequential"/>, not only the builder's models: shows which layers
/// a hand-made (or plugin-made) architecture would export and which it would not. For tests and troubleshooting.
/// </summary>
public static class OnnxExportProbe
{
    /// <summary>Writes <paramref name="model"/> as an ONNX classifier of <paramref name="classes"/> classes.</summary>
    /// <exception cref="NotSupportedException">A layer has no ONNX translation; the message names it and its type.</exception>
    public static void Export(Sequential model, int[] inputShape, int classes, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputShape);
        LibTorchNatives.EnsureLoaded();
        BuiltModel built = LayerShapes.Describe(model, inputShape);
        var spec = new ModelSpec(ModelType.Mlp, inputShape, [], ActivationKind.Relu, 0, false, [], 1, classes, LossKind.CrossEntropy);
        OnnxModelWriter.Write(built, spec, new ModelExportRequest("onnx"), destination);
    }
}
