using System.Globalization;

namespace Conduit.Frameworks.TorchSharp.Models;

/// <summary>
/// What a built-in model will need, from its spec alone (no libtorch, nothing allocated): four float32 values per
/// parameter (the weight, its gradient and Adam's two moments; SGD keeps fewer) and, per example of a batch, every
/// layer's output twice (kept for the backward pass, and its gradient). The layer shapes follow
/// <see cref="ModelBuilder"/>'s. A plugin architecture is not estimated.
/// </summary>
internal static class MemoryEstimate
{
    /// <summary>The parameters, and the activation values of one example; null for a plugin architecture.</summary>
    public static (long Parameters, long Activations)? Of(ModelSpec spec)
    {
        if (spec.Architecture is not null)
        {
            return null;
        }
        long parameters = 0, activations = 0;
        long[] shape = [.. spec.InputShape];
        void Layer(long[] output, long weights, int copies = 1)
        {
            parameters += weights;
            shape = output;
            activations += copies * output.Aggregate(1L, (p, d) => p * d);
        }
        if (spec.Type == ModelType.Cnn)
        {
            foreach (int channels in spec.Channels)
            {
                Layer([channels, shape[1], shape[2]], (shape[0] * spec.KernelSize * spec.KernelSize * channels) + channels, copies: spec.BatchNorm ? 3 : 2);
                parameters += spec.BatchNorm ? 2L * channels : 0;
                if (shape[1] >= 2 && shape[2] >= 2)
                {
                    Layer([shape[0], shape[1] / 2, shape[2] / 2], 0);
                }
            }
            shape = [shape.Aggregate(1L, (p, d) => p * d)];
        }
        foreach (int width in spec.Hidden)
        {
            Layer([width], (shape[0] * width) + width, copies: 2 + (spec.BatchNorm ? 1 : 0) + (spec.Dropout > 0 ? 1 : 0));
            parameters += spec.BatchNorm ? 2L * width : 0;
        }
        Layer([spec.Outputs], (shape[0] * spec.Outputs) + spec.Outputs);
        return (parameters, activations);
    }

    /// <summary>Why the model does not fit <paramref name="maxBytes"/>, with the estimate; null when it fits (or there is no limit).</summary>
    public static string? Problem(ModelSpec spec, int batchSize, long maxBytes)
    {
        if (maxBytes <= 0 || Of(spec) is not { } estimate)
        {
            return null;
        }
        const long Float = sizeof(float);
        long state = 4 * Float * estimate.Parameters;
        long batch = 2 * Float * Math.Max(1, batchSize) * estimate.Activations;
        return state + batch <= maxBytes ? null : string.Create(CultureInfo.InvariantCulture,
            $"the model needs about {Megabytes(state + batch):N0} MB ({estimate.Parameters:N0} parameters: {Megabytes(state):N0} MB for weights, gradients and optimizer state; {Megabytes(batch):N0} MB of activations for a batch of {batchSize}); the limit is {Megabytes(maxBytes):N0} MB (--max-job-memory-mb)");
    }

    private static long Megabytes(long bytes) => (bytes + (1 << 20) - 1) >> 20;
}
