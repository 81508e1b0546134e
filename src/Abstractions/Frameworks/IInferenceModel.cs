using Conduit.Data;

namespace Conduit.Frameworks;

/// <summary>A loaded model that maps input batches to outputs.</summary>
/// <remarks>Not thread-safe: one caller at a time (a server gathers concurrent requests into batches first).</remarks>
public interface IInferenceModel : IDisposable
{
    /// <summary>The shape of one example the model takes (without the batch axis), in raw, unnormalized features.</summary>
    TensorShape InputShape { get; }

    /// <summary>The class names, in output order, when the model is a classifier; empty otherwise.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>What the model is: inputs, outputs, format version, metadata and size.</summary>
    ModelDescription Description { get; }

    /// <summary>
    /// Runs the model on a batch of raw features of shape <c>[N, ...InputShape]</c> (the model applies its own
    /// preprocessing) and returns its primary output, <c>[N, outputs]</c>, in memory the caller owns.
    /// </summary>
    /// <exception cref="ArgumentException">The batch's shape does not fit <see cref="InputShape"/>; the message gives both.</exception>
    TensorBuffer<float> Predict(ITensorBuffer features);
}
