namespace Conduit.Messages;

/// <summary>A training epoch has started.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Epoch">The epoch, counted from 0.</param>
/// <param name="MaxEpochs">The epoch limit, when there is one.</param>
/// <param name="BatchesInEpoch">The number of training batches in this epoch, when known.</param>
public readonly record struct EpochStarted(string RunId, int Epoch, int? MaxEpochs, long? BatchesInEpoch);
