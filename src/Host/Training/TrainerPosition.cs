namespace Conduit.Host.Training;

/// <summary>Where the loop stands: the epoch it is in, batches of that epoch done, optimizer steps taken.</summary>
/// <param name="Epoch">The current epoch (counted from 0).</param>
/// <param name="BatchInEpoch">Batches of <paramref name="Epoch"/> already trained.</param>
/// <param name="GlobalStep">Optimizer steps taken in the run.</param>
public readonly record struct TrainerPosition(int Epoch, long BatchInEpoch, long GlobalStep);
