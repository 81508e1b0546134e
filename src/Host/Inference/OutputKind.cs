namespace Conduit.Host.Inference;

/// <summary>What the output a model is read from holds.</summary>
public enum OutputKind
{
    /// <summary>Predicted values (a regressor, or a model nobody said is a classifier).</summary>
    Values,

    /// <summary>One probability per class, read as they are.</summary>
    Probabilities,

    /// <summary>One score per class, turned into probabilities by a softmax.</summary>
    Logits,
}
