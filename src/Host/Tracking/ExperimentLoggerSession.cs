using System.Threading.Channels;
using Conduit.Messages;
using Conduit.Messaging;
using Conduit.Tracking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Conduit.Host.Tracking;

/// <summary>
/// Feeds a run's messages to its experiment loggers. Each logger has one bounded queue and one reader, so it sees
/// RunStarted, then metrics and checkpoints, then RunEnded, in publish order, one at a time, off the training thread.
/// A full queue makes the publisher wait (nothing is dropped); a logger that throws is reported and keeps receiving.
/// </summary>
internal sealed class ExperimentLoggerSession
{
    /// <summary>Messages a logger may fall behind by before training waits for it.</summary>
    public const int QueueCapacity = 1 << 16;

    /// <summary>How long a logger's reader gathers messages after the first arrives.</summary>
    private static readonly TimeSpan GatherFor = TimeSpan.FromMilliseconds(25);

    private readonly string _runId;
    private readonly LoggerQueue[] _queues;
    private readonly IDisposable[] _subscriptions;

    private ExperimentLoggerSession(IServiceProvider services, IReadOnlyList<IExperimentLogger> loggers, string runId, ILogger log)
    {
        _runId = runId;
        _queues = [.. loggers.Select(l => new LoggerQueue(l, log))];
        _subscriptions =
        [
            services.GetRequiredService<ISubscriber<RunStarted>>().Subscribe(new Handler<RunStarted>(this, m => m.RunId)),
            services.GetRequiredService<ISubscriber<MetricsLogged>>().Subscribe(new Handler<MetricsLogged>(this, m => m.RunId)),
            services.GetRequiredService<ISubscriber<CheckpointSaved>>().Subscribe(new Handler<CheckpointSaved>(this, m => m.RunId)),
            services.GetRequiredService<ISubscriber<RunEnded>>().Subscribe(new Handler<RunEnded>(this, m => m.RunId)),
        ];
    }

    /// <summary>How many messages each logger failed on, by logger name.</summary>
    public IReadOnlyDictionary<string, long> Failures => _queues.ToDictionary(q => q.Logger.Name, q => q.Failures);

    /// <summary>Starts feeding <paramref name="loggers"/> the messages of run <paramref name="runId"/>.</summary>
    public static ExperimentLoggerSession Start(IServiceProvider services, IReadOnlyList<IExperimentLogger> loggers, string runId) =>
        new(services, loggers, runId, services.GetRequiredService<ILoggerFactory>().CreateLogger("Conduit.Host.Tracking"));

    /// <summary>Stops listening and waits until every logger has handled every message it was given.</summary>
    public async Task CompleteAsync()
    {
        foreach (IDisposable subscription in _subscriptions)
        {
            subscription.Dispose();
        }
        await Task.WhenAll(_queues.Select(q => q.CompleteAsync())).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits until every logger has handled and persisted every message published so far (a message is queued when
    /// it is published, so a mark queued now comes after all of them): the barrier before a checkpoint is committed.
    /// </summary>
    public void Flush() => Task.WaitAll([.. _queues.Select(q => q.Flush())]);

    private void Enqueue(object message, string runId)
    {
        if (runId != _runId)
        {
            return;
        }
        foreach (LoggerQueue queue in _queues)
        {
            queue.Enqueue(message);
        }
    }

    private sealed class Handler<T>(ExperimentLoggerSession session, Func<T, string> runIdOf) : IMessageHandler<T>
        where T : class
    {
        public void Handle(T message) => session.Enqueue(message, runIdOf(message));
    }

    private sealed class LoggerQueue
    {
        private readonly Channel<object> _messages = Channel.CreateBounded<object>(new BoundedChannelOptions(QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

        private readonly ILogger _log;
        private readonly Task _reader;
        private long _failures;

        public LoggerQueue(IExperimentLogger logger, ILogger log)
        {
            Logger = logger;
            _log = log;
            _reader = Task.Run(ReadAsync);
        }

        public IExperimentLogger Logger { get; }

        public long Failures => Interlocked.Read(ref _failures);

        public void Enqueue(object message)
        {
            if (!_messages.Writer.TryWrite(message))
            {
                // The logger is a full queue behind: training waits rather than lose a metric.
                _messages.Writer.WriteAsync(message).AsTask().GetAwaiter().GetResult();
            }
        }

        public Task Flush()
        {
            var mark = new FlushMark();
            Enqueue(mark);
            return mark.Done.Task;
        }

        public Task CompleteAsync()
        {
            _messages.Writer.TryComplete();
            return _reader;
        }

        private async Task ReadAsync()
        {
            ChannelReader<object> reader = _messages.Reader;
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                // Gather for a moment before handling: one wake-up per batch of messages rather than per message,
                // which on a small machine would take a core from the model's compute threads every step.
                if (reader.Count < QueueCapacity / 4 && !reader.Completion.IsCompleted)
                {
                    await Task.Delay(GatherFor).ConfigureAwait(false);
                }
                while (reader.TryRead(out object? message))
                {
                    await HandleAsync(message).ConfigureAwait(false);
                }
            }
            if (Failures > 1)
            {
                TrackingLog.LoggerFailedAgain(_log, Logger.Name, Failures);
            }
        }

        private async ValueTask HandleAsync(object message)
        {
            try
            {
                await (message switch
                {
                    RunStarted m => Logger.RunStartedAsync(m, CancellationToken.None),
                    MetricsLogged m => Logger.LogMetricsAsync(m, CancellationToken.None),
                    CheckpointSaved m => Logger.LogCheckpointAsync(m, CancellationToken.None),
                    RunEnded m => Logger.RunEndedAsync(m, CancellationToken.None),
                    FlushMark => Logger.FlushAsync(CancellationToken.None),
                    _ => ValueTask.CompletedTask,
                }).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                if (Interlocked.Increment(ref _failures) == 1)
                {
                    TrackingLog.LoggerFailed(_log, Logger.Name, Hook(message), e.Message, e);
                }
            }
            finally
            {
                // A logger that fails to flush is isolated like any failing logger: the checkpoint does not wait forever.
                (message as FlushMark)?.Done.TrySetResult();
            }
        }

        // The logger's method a message goes to: what a user looks for in the plugin's code.
        private static string Hook(object message) => message switch
        {
            RunStarted => nameof(IExperimentLogger.RunStartedAsync),
            MetricsLogged => nameof(IExperimentLogger.LogMetricsAsync),
            CheckpointSaved => nameof(IExperimentLogger.LogCheckpointAsync),
            RunEnded => nameof(IExperimentLogger.RunEndedAsync),
            FlushMark => nameof(IExperimentLogger.FlushAsync),
            _ => message.GetType().Name,
        };

        private sealed class FlushMark
        {
            public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}
