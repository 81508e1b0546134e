namespace Conduit.Data;

/// <summary>Examples a job trains or predicts on, read as batches; may be larger than memory.</summary>
public interface IDataset
{
    /// <summary>The shape of the examples.</summary>
    DataSchema Schema { get; }

    /// <summary>The number of examples, when known without reading everything.</summary>
    long? Count { get; }

    /// <summary>Reads one pass over the dataset as batches.</summary>
    /// <remarks>A batch's memory is valid until the next batch is requested: sources may reuse buffers.</remarks>
    /// <param name="options">Batch size, shuffling and seed.</param>
    /// <param name="cancellationToken">Ends the pass early.</param>
    IAsyncEnumerable<DataBatch> ReadBatchesAsync(BatchOptions options, CancellationToken cancellationToken = default);
}
