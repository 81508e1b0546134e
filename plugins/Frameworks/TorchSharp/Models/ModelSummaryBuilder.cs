using TorchSharp;
using TorchSharp.Modules;

namespace Conduit.Frameworks.TorchSharp.Models;

/// <summary>Builds the Keras/Lightning summary table of a built model.</summary>
internal static class ModelSummaryBuilder
{
    /// <summary>The summary of <paramref name="model"/>: each layer with its output shape and own parameters, and the totals.</summary>
    public static ModelSummary Summarize(BuiltModel model)
    {
        var layers = model.Layers.Select(layer =>
        {
            Parameter[] own = [.. layer.Module.parameters()];
            return new LayerSummary(
                layer.Name,
                layer.Module.GetType().Name,
                "[" + string.Join(", ", layer.OutputShape.Prepend(-1)) + "]",
                own.Sum(p => p.numel()),
                own.All(p => p.requires_grad));
        }).ToList();
        Parameter[] parameters = [.. model.Module.parameters()];
        long total = parameters.Sum(p => p.numel());
        long trainable = parameters.Where(p => p.requires_grad).Sum(p => p.numel());
        long bytes = parameters.Sum(Bytes) + model.Module.buffers().Sum(Bytes);
        return new ModelSummary(layers, total, trainable, bytes);
    }

    private static long Bytes(torch.Tensor tensor) => tensor.numel() * tensor.ElementSize;
}
