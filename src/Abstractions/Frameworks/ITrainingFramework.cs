namespace Conduit.Frameworks;

/// <summary>A framework that trains (TorchSharp, ...): builds a model from a job's settings into a training session.</summary>
/// <remarks>The host's trainer loop drives the <see cref="ITrainingSession"/> step by step; the adapter does the math.</remarks>
public interface ITrainingFramework
{
    /// <summary>The name a job uses in <c>model.framework</c>: <c>torchsharp</c>, ...</summary>
    string Name { get; }

    /// <summary>The model types this adapter can build (<c>mlp</c>, <c>cnn</c>, <c>linear</c>, ...).</summary>
    IReadOnlyList<string> ModelTypes { get; }

    /// <summary>
    /// The formats its sessions export (<see cref="IModelExporter"/>), the first the default: what a job's
    /// <c>export</c> and <c>conduit export --format</c> are checked against before anything runs. None by default.
    /// </summary>
    IReadOnlyList<string> ExportFormats => [];

    /// <summary>Builds a model from a spec on a device, ready to train.</summary>
    /// <exception cref="ArgumentException">The spec names an unknown model type or a bad setting; the message names the key.</exception>
    ITrainingSession CreateTrainingSession(TrainingSessionOptions options);
}
