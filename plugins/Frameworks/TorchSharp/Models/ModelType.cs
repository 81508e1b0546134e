namespace Conduit.Frameworks.TorchSharp.Models;

/// <summary>The model architectures the plugin builds (<c>model.type</c>).</summary>
internal enum ModelType
{
    /// <summary><c>mlp</c>: fully connected hidden layers.</summary>
    Mlp,

    /// <summary><c>cnn</c>: LeNet-style convolutions and pooling, then fully connected layers.</summary>
    Cnn,

    /// <summary><c>linear</c>: one linear layer (logistic or linear regression).</summary>
    Linear,

    /// <summary>An architecture a model plugin adds (<see cref="ITorchArchitecture"/>).</summary>
    Plugin,
}
