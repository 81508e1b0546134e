using System.Runtime.CompilerServices;
using Conduit.Data;

namespace Conduit.DataSources.Idx;

/// <summary>An IDX dataset: the files are streamed again on every pass, so memory stays one block whatever their size.</summary>
/// <param name="reader">Reads the files.</param>
/// <param name="count">The examples a pass yields (the header's count, less those left out for NaN).</param>
internal sealed class IdxDataset(IdxReader reader, long count) : IDataset
{
    /// <inheritdoc/>
    public DataSchema Schema => reader.Schema;

    /// <inheritdoc/>
    public long? Count => count;

    /// <inheritdoc/>
    public async IAsyncEnumerable<DataBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (DataBatch block in reader.Blocks(null, cancellationToken))
        {
            yield return block;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }
}
