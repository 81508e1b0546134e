using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Conduit.Data;
using Conduit.Frameworks;

namespace Conduit.Host.Server;

/// <summary>
/// Gathers concurrent predict requests into batches of up to <see cref="BatchingOptions.MaxBatchSize"/> examples,
/// the first request waiting at most <see cref="BatchingOptions.MaxWait"/> for others; one loop runs the model (which
/// is not thread-safe), and each request gets its own rows back.
/// </summary>
public sealed class DynamicBatcher : IAsyncDisposable
{
    private static readonly Meter Meter = new("Conduit.Serving");
    private static readonly Counter<long> RequestCounter = Meter.CreateCounter<long>("conduit.serving.requests", description: "Predict requests answered.");
    private static readonly Histogram<int> BatchSizes = Meter.CreateHistogram<int>("conduit.serving.batch_size", "{example}", "Examples per model call.");
    private static readonly Histogram<double> Latency = Meter.CreateHistogram<double>("conduit.serving.request_duration", "ms", "From a request's arrival in the batcher to its answer.");

    private readonly IInferenceModel _model;
    private readonly BatchingOptions _batching;
    private readonly string _name;
    private readonly Channel<Request> _requests = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private readonly int _exampleSize;
    private long _requestCount, _batchCount, _exampleCount;

    /// <summary>Starts the batching loop over <paramref name="model"/>.</summary>
    public DynamicBatcher(string name, IInferenceModel model, BatchingOptions batching)
    {
        _name = name;
        _model = model;
        _batching = batching;
        _exampleSize = checked((int)model.InputShape.ElementCount);
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Requests answered, model calls made and examples predicted so far.</summary>
    public (long Requests, long Batches, long Examples) Counts => (Interlocked.Read(ref _requestCount), Interlocked.Read(ref _batchCount), Interlocked.Read(ref _exampleCount));

    /// <summary>Predicts <paramref name="count"/> examples laid out back to back in <paramref name="features"/>.</summary>
    /// <returns>The outputs, <c>count x width</c>, and the width.</returns>
    public Task<(float[] Outputs, int Width)> PredictAsync(float[] features, int count)
    {
        var request = new Request(features, count, Stopwatch.GetTimestamp(), new TaskCompletionSource<(float[], int)>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_requests.Writer.TryWrite(request))
        {
            throw new ObjectDisposedException(nameof(DynamicBatcher), $"The model '{_name}' is no longer served.");
        }
        return request.Done.Task;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _requests.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        _model.Dispose();
    }

    private async Task LoopAsync()
    {
        var batch = new List<Request>();
        Request? held = null;
        ChannelReader<Request> reader = _requests.Reader;
        while (held is not null || await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            Request first = held ?? (reader.TryRead(out Request? r) ? r : null)!;
            held = null;
            if (first is null)
            {
                continue;
            }
            batch.Add(first);
            int examples = first.Count;
            long deadline = first.Arrived + (long)(_batching.MaxWait.TotalSeconds * Stopwatch.Frequency);
            while (examples < _batching.MaxBatchSize)
            {
                if (reader.TryRead(out Request? next))
                {
                    if (examples + next.Count > _batching.MaxBatchSize)
                    {
                        held = next; // starts the next batch
                        break;
                    }
                    batch.Add(next);
                    examples += next.Count;
                    continue;
                }
                TimeSpan left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
                if (left <= TimeSpan.Zero || _batching.MaxBatchSize <= 1)
                {
                    break;
                }
                using var timeout = new CancellationTokenSource(left);
                try
                {
                    if (!await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            Run(batch, examples);
        }
    }

    private void Run(List<Request> batch, int examples)
    {
        try
        {
            float[] features;
            if (batch.Count == 1)
            {
                features = batch[0].Features;
            }
            else
            {
                features = new float[examples * _exampleSize];
                int offset = 0;
                foreach (Request request in batch)
                {
                    request.Features.AsSpan(0, request.Count * _exampleSize).CopyTo(features.AsSpan(offset));
                    offset += request.Count * _exampleSize;
                }
            }
            TensorBuffer<float> outputs = _model.Predict(new TensorBuffer<float>(features.AsMemory(0, examples * _exampleSize), _model.InputShape.Prepend(examples)));
            int width = outputs.Shape[1];
            ReadOnlySpan<float> all = outputs.Memory.Span;
            int row = 0;
            long now = Stopwatch.GetTimestamp();
            foreach (Request request in batch)
            {
                request.Done.TrySetResult((all.Slice(row * width, request.Count * width).ToArray(), width));
                row += request.Count;
                Latency.Record(Stopwatch.GetElapsedTime(request.Arrived, now).TotalMilliseconds, new KeyValuePair<string, object?>("model", _name));
            }
            Interlocked.Add(ref _requestCount, batch.Count);
            Interlocked.Increment(ref _batchCount);
            Interlocked.Add(ref _exampleCount, examples);
            RequestCounter.Add(batch.Count, new KeyValuePair<string, object?>("model", _name));
            BatchSizes.Record(examples, new KeyValuePair<string, object?>("model", _name));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            foreach (Request request in batch)
            {
                request.Done.TrySetException(e);
            }
        }
    }

    private sealed record Request(float[] Features, int Count, long Arrived, TaskCompletionSource<(float[], int)> Done);
}
