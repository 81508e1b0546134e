namespace Conduit.Messages;

/// <summary>A training batch has been processed (published on the training thread after every batch).</summary>
/// <param name="RunId">The run.</param>
/// <param name="Epoch">The epoch, counted from 0.</param>
/// <param name="BatchIndex">The batch's index within the epoch, counted from 0.</param>
/// <param name="GlobalStep">Optimizer steps taken so far in the run.</param>
/// <param name="Loss">The batch's training loss.</param>
/// <param name="BatchSize">The number of examples in the batch.</param>
/// <param name="BatchesInEpoch">The number of batches in the epoch, when known.</param>
/// <remarks>A value type, so that publishing it allocates nothing.</remarks>
public readonly record struct BatchEnded(
    string RunId,
    int Epoch,
    long BatchIndex,
    long GlobalStep,
    double Loss,
    int BatchSize,
    long? BatchesInEpoch);
