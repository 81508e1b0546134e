namespace Conduit.Frameworks.TorchSharp.Optimizers;

/// <summary>The optimizers a session may use (<c>optimizer.type</c>).</summary>
internal enum OptimizerKind
{
    /// <summary><c>adam</c> (weight decay as an L2 term in the gradient).</summary>
    Adam,

    /// <summary><c>adamw</c> (decoupled weight decay).</summary>
    AdamW,

    /// <summary><c>sgd</c>, with optional (Nesterov) momentum.</summary>
    Sgd,
}
