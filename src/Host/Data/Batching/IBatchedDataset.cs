using Conduit.Data;

namespace Conduit.Host.Data;

/// <summary>
/// What the trainer and predict read: a dataset cut into batches of a chosen size, shuffled by seed and epoch when
/// asked (PyTorch's DataLoader over a Dataset). The host wraps every source's <see cref="IDataset"/> in one: an
/// <see cref="InMemoryDataset"/> or a <see cref="StreamingDataset"/>.
/// </summary>
public interface IBatchedDataset : IDataset
{
    /// <summary>Reads one pass over the dataset as batches.</summary>
    /// <remarks>A batch's memory is valid until the next batch is requested: buffers are reused.</remarks>
    /// <param name="options">Batch size, shuffling, seed and epoch: the same options give the same batches.</param>
    /// <param name="cancellationToken">Ends the pass early.</param>
    IAsyncEnumerable<DataBatch> ReadBatchesAsync(BatchOptions options, CancellationToken cancellationToken = default);
}
