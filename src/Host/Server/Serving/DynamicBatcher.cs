using System.Diagnostics;
using System.Threading.Channels;
using Conduit.Data;
using Conduit.Frameworks;

namespace Conduit.Host.Server.Serving;

/// <summary>
/// Gathers concurrent predict requests into one model call (LitServe's <c>max_batch_size</c> and <c>batch_timeout</c>):
/// the first waiting request opens a batch, which closes when it holds <see cref="MaxBatchSize"/> examples or when
/// <see cref="MaxWait"/> has passed. One loop calls the model, so a model need not be thread-safe.
/// </summary>
public sealed class DynamicBatcher : IAsyncDisposable
{
    private readonly IInferenceModel _model;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly int _exampleSize;
    private Task? _loop;

    /// <summary>Creates a batcher for <paramref name="model"/>; call <see cref="Start"/> before requests are answered.</summary>
    /// <param name="model">The model (owned by the caller).</param>
    /// <param name="maxBatchSize">The most examples per call; 1 turns batching off.</param>
    /// <param name="maxWait">How long a batch stays open for more requests.</param>
    public DynamicBatcher(IInferenceModel model, int maxBatchSize, TimeSpan maxWait)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        _model = model;
        MaxBatchSize = maxBatchSize;
        MaxWait = maxWait;
        _exampleSize = checked((int)model.InputShape.ElementCount);
        Metrics = new ServingMetrics(maxBatchSize);
    }

    /// <summary>The most examples per model call.</summary>
    public int MaxBatchSize { get; }

    /// <summary>How long a batch waits for more requests.</summary>
    public TimeSpan MaxWait { get; }

    /// <summary>The request and batch figures.</summary>
    public ServingMetrics Metrics { get; }

    /// <summary>Starts answering: requests queued before this are batched too.</summary>
    public void Start() => _loop ??= Task.Run(LoopAsync);

    /// <summary>Queues one example (<see cref="IInferenceModel.InputShape"/> values, flattened) and returns the model's output row.</summary>
    /// <exception cref="ArgumentException">The example has the wrong number of values.</exception>
    public Task<float[]> PredictAsync(float[] example)
    {
        ArgumentNullException.ThrowIfNull(example);
        if (example.Length != _exampleSize)
        {
            throw new ArgumentException($"expected {_exampleSize} values (input shape [{string.Join(", ", _model.InputShape.Dimensions.ToArray())}]), got {example.Length}", nameof(example));
        }
        var pending = new Pending(example, Stopwatch.GetTimestamp());
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(DynamicBatcher), "the model is no longer served (the server is stopping)");
        }
        return pending.Result.Task;
    }

    /// <summary>Stops taking requests, answers those queued, and ends the loop.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
    }

    private async Task LoopAsync()
    {
        var batch = new List<Pending>(MaxBatchSize);
        ChannelReader<Pending> reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            long opened = Stopwatch.GetTimestamp();
            while (batch.Count < MaxBatchSize)
            {
                if (reader.TryRead(out Pending? next))
                {
                    batch.Add(next);
                    continue;
                }
                TimeSpan left = MaxWait - Stopwatch.GetElapsedTime(opened);
                if (batch.Count == 0 || left <= TimeSpan.Zero || !await WaitForMoreAsync(reader, left).ConfigureAwait(false))
                {
                    break;
                }
            }
            if (batch.Count > 0)
            {
                Run(batch);
            }
        }
    }

    // True when another request arrived within the time left; false when the time ran out or the queue closed.
    private static async Task<bool> WaitForMoreAsync(ChannelReader<Pending> reader, TimeSpan left)
    {
        Task<bool> more = reader.WaitToReadAsync().AsTask();
        if (more.IsCompleted)
        {
            return more.Result;
        }
        Task first = await Task.WhenAny(more, Task.Delay(left)).ConfigureAwait(false);
        return first == more && more.Result;
    }

    private void Run(List<Pending> batch)
    {
        int n = batch.Count;
        var features = new float[n * _exampleSize];
        for (int i = 0; i < n; i++)
        {
            batch[i].Example.CopyTo(features, i * _exampleSize);
        }
        Metrics.Batch(n);
        try
        {
            TensorBuffer<float> output = _model.Predict(new TensorBuffer<float>(features, _model.InputShape.Prepend(n)));
            int width = checked((int)(output.Shape.ElementCount / n));
            ReadOnlySpan<float> values = output.Memory.Span;
            for (int i = 0; i < n; i++)
            {
                float[] row = values.Slice(i * width, width).ToArray();
                Metrics.Request(batch[i].Started, failed: false);
                batch[i].Result.TrySetResult(row);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            foreach (Pending pending in batch)
            {
                Metrics.Request(pending.Started, failed: true);
                pending.Result.TrySetException(e);
            }
        }
    }

    private sealed record Pending(float[] Example, long Started)
    {
        public TaskCompletionSource<float[]> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
