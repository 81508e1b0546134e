namespace Conduit.Host.Data;

/// <summary>How to cut a dataset into batches for one pass.</summary>
/// <param name="BatchSize">Examples per batch; at least 1.</param>
/// <param name="Shuffle">Whether to shuffle the examples.</param>
/// <param name="Seed">The shuffle's seed; a pass with the same seed and epoch sees the same order.</param>
/// <param name="Epoch">The epoch, mixed into the seed so that each epoch has its own order.</param>
/// <param name="DropLast">Whether to drop a last batch smaller than <paramref name="BatchSize"/>.</param>
public sealed record BatchOptions(int BatchSize, bool Shuffle = false, int Seed = 0, int Epoch = 0, bool DropLast = false);
