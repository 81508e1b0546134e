using Conduit.Data;

namespace Conduit.Frameworks;

/// <summary>A loaded model that maps input batches to outputs.</summary>
public interface IInferenceModel : IDisposable
{
    /// <summary>The shape of one example the model takes (without the batch axis).</summary>
    TensorShape InputShape { get; }

    /// <summary>The class names, in output order, when the model is a classifier.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>Runs the model on a batch of features of shape <c>[N, ...InputShape]</c>.</summary>
    TensorBuffer<float> Predict(ITensorBuffer features);
}
