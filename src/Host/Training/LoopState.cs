namespace Conduit.Host.Training;

/// <summary>What a checkpoint keeps of the loop: where it stands, the epoch's running sums, the latest metrics.</summary>
internal readonly record struct LoopState(TrainerPosition Position, EpochAccumulator.State Accumulator, IReadOnlyDictionary<string, double> Metrics);
