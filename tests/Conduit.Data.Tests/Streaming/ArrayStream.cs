using Conduit.DataSources.Common;
using Conduit.Host.Data;

namespace Conduit.Data.Tests.Streaming;

/// <summary>
/// A source's dataset over arrays, handed out in storage order in blocks of a chosen size: example i has features
/// [i, -i] and class i mod classes, so any output can be traced back to the rows it came from.
/// </summary>
internal sealed class ArrayStream(int rows, int blockSize, int classes = 3, long? count = -1) : IDataset
{
    /// <summary>How many passes were started.</summary>
    public int Passes { get; private set; }

    /// <summary>Throw this after reading this many rows (a file cut short).</summary>
    public int? FailAfter { get; init; }

    public DataSchema Schema { get; } = SchemaOf(classes);

    public long? Count => count == -1 ? rows : count;

    public static DataSchema SchemaOf(int classes) =>
        new(new TensorShape(2), ["a", "b"], TargetKind.Classification, [.. Enumerable.Range(0, classes).Select(c => $"c{c}")]);

    /// <summary>This stream as the host streams a source: batched and shuffled through a buffer of <paramref name="shuffleBuffer"/>.</summary>
    public StreamingDataset Streamed(int shuffleBuffer = StreamingDataset.DefaultShuffleBufferSize) => new(this) { ShuffleBufferSize = shuffleBuffer };

    public async IAsyncEnumerable<DataBatch> ReadAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Passes++;
        var block = new BatchBuilder(Schema, blockSize);
        for (int i = 0; i < rows; i++)
        {
            if (i == FailAfter)
            {
                throw new InvalidDataException($"stream.bin: row {i} is cut short");
            }
            block.Add([i, -i], i % Schema.ClassNames.Count);
            if (block.IsFull)
            {
                yield return block.ToBatch();
                block.Clear();
            }
        }
        if (block.Count > 0)
        {
            yield return block.ToBatch();
        }
        await Task.CompletedTask;
    }

    /// <summary>The example ids (first feature) of every batch of one pass, checking each example's other values.</summary>
    public static async Task<List<int[]>> Ids(IBatchedDataset dataset, BatchOptions options)
    {
        var batches = new List<int[]>();
        await foreach (DataBatch batch in dataset.ReadBatchesAsync(options))
        {
            var features = ((TensorBuffer<float>)batch.Features).Memory.Span;
            var classes = ((TensorBuffer<long>)batch.Targets!).Memory.Span;
            var ids = new int[batch.Count];
            for (int i = 0; i < ids.Length; i++)
            {
                ids[i] = (int)features[2 * i];
                Assert.Equal(-ids[i], features[2 * i + 1]);
                Assert.Equal(ids[i] % dataset.Schema.ClassNames.Count, classes[i]);
            }
            batches.Add(ids);
        }
        return batches;
    }
}
