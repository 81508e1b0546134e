namespace Conduit.Frameworks;

/// <summary>The Keras/Lightning summary table of a model.</summary>
/// <param name="Layers">The layers, in forward order.</param>
/// <param name="TotalParameters">All parameters.</param>
/// <param name="TrainableParameters">Parameters the optimizer updates.</param>
/// <param name="SizeBytes">The estimated size of the parameters (and buffers) in bytes.</param>
public sealed record ModelSummary(IReadOnlyList<LayerSummary> Layers, long TotalParameters, long TrainableParameters, long SizeBytes)
{
    /// <summary>Parameters the optimizer leaves alone.</summary>
    public long NonTrainableParameters => TotalParameters - TrainableParameters;
}
