namespace Conduit.Frameworks.TorchSharp.Models;

/// <summary>The activations a model may use between layers (<c>model.activation</c>).</summary>
internal enum ActivationKind
{
    /// <summary><c>relu</c>.</summary>
    Relu,

    /// <summary><c>tanh</c>.</summary>
    Tanh,

    /// <summary><c>gelu</c>.</summary>
    Gelu,

    /// <summary><c>sigmoid</c>.</summary>
    Sigmoid,

    /// <summary><c>leaky_relu</c> (negative slope 0.01).</summary>
    LeakyRelu,

    /// <summary><c>elu</c> (alpha 1).</summary>
    Elu,
}
