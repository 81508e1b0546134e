using System.Runtime.CompilerServices;
using Conduit.Data;
using Conduit.DataSources.Common;

namespace Conduit.Host.Data;

/// <summary>
/// A dataset read from its source on every pass, block by block in storage order: files larger than memory,
/// generators. Batches are cut from the blocks as they come, and shuffled through a bounded buffer, so memory stays
/// bounded whatever the size of the data.
/// </summary>
/// <remarks>
/// Shuffling holds <see cref="ShuffleBufferSize"/> examples and sends out a random one of them for each one read, as
/// tf.data's shuffle buffer does: with a buffer as large as the dataset it is a uniform permutation, with a smaller
/// one examples move at most that far forward. The order depends only on the seed, the epoch and the storage order
/// (not on the source's block sizes), so a resumed run sees the same batches.
/// </remarks>
/// <param name="source">The source's dataset, read once per pass.</param>
public sealed class StreamingDataset(IDataset source) : IBatchedDataset
{
    /// <summary>The default <see cref="ShuffleBufferSize"/>.</summary>
    public const int DefaultShuffleBufferSize = 10_000;

    /// <inheritdoc/>
    public DataSchema Schema => source.Schema;

    /// <inheritdoc/>
    public long? Count => source.Count;

    /// <summary>How many examples the shuffle holds; larger mixes better and costs memory (examples × feature size × 4 bytes).</summary>
    public int ShuffleBufferSize
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = DefaultShuffleBufferSize;

    /// <inheritdoc/>
    public IAsyncEnumerable<DataBatch> ReadAsync(CancellationToken cancellationToken = default) => source.ReadAsync(cancellationToken);

    /// <inheritdoc/>
    public async IAsyncEnumerable<DataBatch> ReadBatchesAsync(BatchOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1, nameof(options));
        // The buffers take the regression target width of the first block: the schema does not record it.
        BatchBuilder? output = null;
        ShuffleBuffer? shuffle = null;
        await foreach (DataBatch block in source.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (output is null)
            {
                int width = BatchBuilder.TargetWidthOf(block);
                output = new BatchBuilder(Schema, options.BatchSize, width);
                shuffle = options.Shuffle ? new ShuffleBuffer(Schema, ShuffleCapacity(), width, options.Seed, options.Epoch) : null;
            }
            for (int i = 0; i < block.Count;)
            {
                if (shuffle is not null)
                {
                    shuffle.Exchange(block, i++, output);
                }
                else
                {
                    int take = Math.Min(block.Count - i, output.Capacity - output.Count);
                    output.AddRange(block, i, take);
                    i += take;
                }
                if (output.IsFull)
                {
                    yield return output.ToBatch();
                    output.Clear();
                }
            }
        }
        if (output is null)
        {
            yield break;
        }
        while (shuffle is { Count: > 0 })
        {
            shuffle.TakeRandom(output);
            if (output.IsFull)
            {
                yield return output.ToBatch();
                output.Clear();
            }
        }
        if (output.Count > 0 && !options.DropLast)
        {
            yield return output.ToBatch();
        }
    }

    // A buffer larger than the dataset would only cost memory.
    private int ShuffleCapacity() => (int)Math.Min(ShuffleBufferSize, Math.Max(1, Count ?? ShuffleBufferSize));
}
