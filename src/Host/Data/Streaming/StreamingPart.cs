using System.Runtime.CompilerServices;
using Conduit.Data;
using Conduit.DataSources.Common;

namespace Conduit.Host.Data;

/// <summary>
/// The examples of a streaming source that belong to one part of a split (or all of them), renumbered to the
/// training data's classes and normalized on the way: one copy per example, memory bounded by a block. A
/// <see cref="StreamingDataset"/> over it batches and shuffles.
/// </summary>
/// <param name="source">The source, read in storage order on every pass.</param>
/// <param name="schema">The training data's schema.</param>
/// <param name="part">Which rows belong here; null for every row.</param>
/// <param name="count">How many rows belong here (counted by a pass over the source).</param>
/// <param name="normalizer">The normalizer fitted on the training part.</param>
/// <param name="classMap">Each source class's index in <paramref name="schema"/>; null when they are the same.</param>
internal sealed class StreamingPart(IDataset source, DataSchema schema, SplitPart? part, long count, FeatureNormalizer normalizer, long[]? classMap)
    : IDataset
{
    private const int BlockRows = 1024;

    /// <inheritdoc/>
    public DataSchema Schema => schema;

    /// <inheritdoc/>
    public long? Count => count;

    /// <inheritdoc/>
    public async IAsyncEnumerable<DataBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        BatchBuilder? block = null;
        long row = 0;
        await foreach (DataBatch input in source.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            block ??= new BatchBuilder(Schema, BlockRows, BatchBuilder.TargetWidthOf(input));
            // Copy runs of consecutive rows of this part at once: most rows of a training part come in long runs.
            int i = 0;
            while (i < input.Count)
            {
                int run = 0;
                int room = block.Capacity - block.Count;
                while (i + run < input.Count && run < room && (part is null || part.Contains(row + run)))
                {
                    run++;
                }
                if (run > 0)
                {
                    block.AddRange(input, i, run);
                    i += run;
                    row += run;
                }
                else
                {
                    i++;
                    row++; // a row of another part
                }
                if (block.IsFull)
                {
                    yield return Finish(block);
                    block.Clear();
                }
            }
        }
        if (block is { Count: > 0 })
        {
            yield return Finish(block);
        }
    }

    private DataBatch Finish(BatchBuilder block)
    {
        DataBatch batch = block.ToBatch();
        normalizer.Apply(((TensorBuffer<float>)batch.Features).Memory.Span);
        if (classMap is not null && batch.Targets is TensorBuffer<long> classes)
        {
            Span<long> span = classes.Memory.Span;
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = classMap[span[i]];
            }
        }
        return batch;
    }
}
