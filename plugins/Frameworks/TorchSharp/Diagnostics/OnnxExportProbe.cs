using Conduit.Frameworks.TorchSharp.Export;
using Conduit.Frameworks.TorchSharp.Losses;
using Conduit.Frameworks.TorchSharp.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

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
        var layers = new List<BuiltLayer>();
        using (no_grad())
        {
            Tensor x = zeros([1, .. inputShape.Select(d => (long)d)]);
            foreach (var (name, child) in model.named_children())
            {
                var layer = (nn.Module<Tensor, Tensor>)child;
                x = layer.forward(x);
                layers.Add(new BuiltLayer(name, layer, x.shape[1..]));
            }
        }
        var spec = new ModelSpec(ModelType.Mlp, inputShape, [], ActivationKind.Relu, 0, false, [], 1, classes, LossKind.CrossEntropy);
        OnnxModelWriter.Write(new BuiltModel(model, layers), spec, new ModelExportRequest("onnx"), destination);
    }
}
