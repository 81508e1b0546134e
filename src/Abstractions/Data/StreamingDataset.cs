using System.Runtime.CompilerServices;

namespace Conduit.Data;

/// <summary>
/// A dataset read from storage in order, block by block: files larger than memory, generators. A source implements
/// <see cref="ReadExamplesAsync"/> only; batching, <c>drop_last</c> and seeded shuffling through a bounded buffer
/// (memory stays bounded whatever the size of the data) come from this class.
/// </summary>
/// <remarks>
/// Shuffling holds <see cref="ShuffleBufferSize"/> examples and sends out a random one of them for each one read, as
/// tf.data's shuffle buffer does: with a buffer as large as the dataset it is a uniform permutation, with a smaller
/// one examples move at most that far forward. The order depends only on the seed, the epoch and the storage order,
/// so a resumed run sees the same batches.
/// </remarks>
public abstract class StreamingDataset : IDataset
{
    /// <summary>The default <see cref="ShuffleBufferSize"/>.</summary>
    public const int DefaultShuffleBufferSize = 10_000;

    /// <summary>A dataset of <paramref name="schema"/>; <paramref name="count"/> when known without reading it all.</summary>
    /// <param name="schema">The examples' schema.</param>
    /// <param name="count">The number of examples, if known.</param>
    /// <param name="targetWidth">The number of target values per regression example.</param>
    protected StreamingDataset(DataSchema schema, long? count, int targetWidth = 1)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetWidth, 1);
        Schema = schema;
        Count = count;
        TargetWidth = targetWidth;
    }

    /// <inheritdoc/>
    public DataSchema Schema { get; }

    /// <inheritdoc/>
    public long? Count { get; }

    /// <summary>The number of target values per regression example.</summary>
    public int TargetWidth { get; }

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

    /// <summary>
    /// Reads every example once, in storage order, as blocks of any size with float features and this dataset's
    /// targets (see <see cref="BatchBuilder"/>); a block's memory is valid until the next block is requested.
    /// </summary>
    /// <param name="cancellationToken">Ends the read early.</param>
    /// <exception cref="InvalidDataException">The data turned out malformed while reading; the message names the place.</exception>
    public abstract IAsyncEnumerable<DataBatch> ReadExamplesAsync(CancellationToken cancellationToken = default);

    /// <inheritdoc/>
    public async IAsyncEnumerable<DataBatch> ReadBatchesAsync(BatchOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1, nameof(options));
        var output = new BatchBuilder(Schema, options.BatchSize, TargetWidth);
        ShuffleBuffer? shuffle = options.Shuffle
            ? new ShuffleBuffer(Schema, (int)Math.Min(ShuffleBufferSize, Math.Max(1, Count ?? ShuffleBufferSize)), TargetWidth, options.Seed, options.Epoch)
            : null;
        await foreach (DataBatch block in ReadExamplesAsync(cancellationToken).ConfigureAwait(false))
        {
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
}
