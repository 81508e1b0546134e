namespace Conduit.Data;

/// <summary>
/// Examples a job trains or predicts on, as a source stores them; may be larger than memory. A source reads; the
/// host batches, shuffles (seeded, per epoch), splits, normalizes and reads ahead, so every source gets those alike.
/// </summary>
public interface IDataset
{
    /// <summary>The shape of the examples.</summary>
    DataSchema Schema { get; }

    /// <summary>The number of examples, when known without reading them all; <see langword="null"/> otherwise.</summary>
    long? Count { get; }

    /// <summary>
    /// Reads every example once, in storage order, in blocks of any size the source likes (one for a small dataset,
    /// one per row group or per thousand rows for a large file). The host calls this again for every pass, so a pass
    /// must give the same examples in the same order: exact resume and seeded shuffling rely on it.
    /// </summary>
    /// <remarks>
    /// A block is a <see cref="DataBatch"/> of <c>n</c> examples: features are <see cref="TensorBuffer{T}"/> of
    /// <see cref="float"/>, shape <c>[n, ...Schema.FeatureShape]</c>; targets are <see cref="long"/> class indices of
    /// shape <c>[n]</c> for <see cref="TargetKind.Classification"/>, <see cref="float"/> values of shape <c>[n]</c> or
    /// <c>[n, k]</c> (the same <c>k</c> in every block) for <see cref="TargetKind.Regression"/>, and
    /// <see langword="null"/> for <see cref="TargetKind.None"/>. A block's memory is valid only until the next block
    /// is requested, so a source may refill the same buffers; the host copies what it keeps.
    /// </remarks>
    /// <param name="cancellationToken">Ends the pass early.</param>
    /// <exception cref="InvalidDataException">The data turned out malformed while reading; the message names the place.</exception>
    IAsyncEnumerable<DataBatch> ReadAsync(CancellationToken cancellationToken = default);
}
