using System.Runtime.CompilerServices;
using Conduit.Data;

namespace Conduit.Host.Data;

/// <summary>
/// Reads another dataset's batches on a background task, up to <c>depth</c> ahead (<see cref="ReadAheadPass"/>): the
/// next batch is ready while the model trains on this one. When a pass ends, the pass that usually follows (the next
/// epoch's order, or the same order for unshuffled data) starts at once, so a streamed epoch's first batch — which
/// waits for the shuffle buffer to fill — is read while validation runs.
/// </summary>
/// <param name="inner">The dataset to read ahead.</param>
/// <param name="depth">How many batches may wait ready; at least 1.</param>
internal sealed class PrefetchingDataset(IBatchedDataset inner, int depth) : IBatchedDataset, IDisposable
{
    private readonly Lock _gate = new();
    private ReadAheadPass? _ahead;
    private bool _disposed;

    /// <inheritdoc/>
    public DataSchema Schema => inner.Schema;

    /// <inheritdoc/>
    public long? Count => inner.Count;

    /// <inheritdoc/>
    /// <remarks>Storage order is read as it comes: only batches are read ahead.</remarks>
    public IAsyncEnumerable<DataBatch> ReadAsync(CancellationToken cancellationToken = default) => inner.ReadAsync(cancellationToken);

    /// <inheritdoc/>
    public async IAsyncEnumerable<DataBatch> ReadBatchesAsync(BatchOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ReadAheadPass pass = Take(options);
        bool finished = false;
        try
        {
            while (await pass.NextAsync(cancellationToken).ConfigureAwait(false) is { } batch)
            {
                yield return batch;
            }
            finished = true;
        }
        finally
        {
            // The consumer stopped (the end, a limit, an error): the producer must not touch the buffers any more.
            await pass.StopAsync().ConfigureAwait(false);
        }
        if (finished)
        {
            ReadAhead(options.Shuffle ? options with { Epoch = options.Epoch + 1 } : options);
        }
    }

    /// <summary>Stops a pass read ahead that nobody asked for.</summary>
    public void Dispose()
    {
        ReadAheadPass? ahead;
        lock (_gate)
        {
            _disposed = true;
            (ahead, _ahead) = (_ahead, null);
        }
        ahead?.StopAsync().AsTask().GetAwaiter().GetResult();
    }

    // The pass read ahead when it is the one asked for; otherwise a new one (and the guess is dropped).
    private ReadAheadPass Take(BatchOptions options)
    {
        ReadAheadPass? ahead;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            (ahead, _ahead) = (_ahead, null);
        }
        if (ahead is not null && ahead.Options == options)
        {
            return ahead;
        }
        ahead?.StopAsync().AsTask().GetAwaiter().GetResult();
        return ReadAheadPass.Start(inner, options, depth);
    }

    /// <summary>Starts reading the pass of <paramref name="options"/> ahead, unless a pass is read ahead already.</summary>
    public void ReadAhead(BatchOptions options)
    {
        lock (_gate)
        {
            if (!_disposed && _ahead is null)
            {
                _ahead = ReadAheadPass.Start(inner, options, depth);
            }
        }
    }
}
