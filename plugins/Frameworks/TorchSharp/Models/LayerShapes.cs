using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Conduit.Frameworks.TorchSharp.Models;

/// <summary>
/// A ready-made <see cref="Sequential"/> (a plugin's architecture, a hand-made model) as a <see cref="BuiltModel"/>:
/// each layer's output shape found by one forward pass of a zero example in evaluation mode (batch norm cannot
/// train on one example).
/// </summary>
internal static class LayerShapes
{
    /// <summary>Describes <paramref name="model"/> for examples of <paramref name="inputShape"/>.</summary>
    public static BuiltModel Describe(Sequential model, IReadOnlyList<int> inputShape)
    {
        var layers = new List<BuiltLayer>();
        bool training = model.training;
        model.eval();
        try
        {
            using var scope = NewDisposeScope();
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
        }
        finally
        {
            model.train(training);
        }
        return new BuiltModel(model, layers);
    }
}
