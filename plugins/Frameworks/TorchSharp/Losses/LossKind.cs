namespace Conduit.Frameworks.TorchSharp.Losses;

/// <summary>The losses a model may train with (<c>model.loss</c>).</summary>
internal enum LossKind
{
    /// <summary><c>cross_entropy</c>: softmax cross-entropy over one logit per class (the default for classification).</summary>
    CrossEntropy,

    /// <summary><c>bce</c>: binary cross-entropy on one logit (two classes).</summary>
    BinaryCrossEntropy,

    /// <summary><c>mse</c>: mean squared error (the default for regression).</summary>
    MeanSquaredError,
}
