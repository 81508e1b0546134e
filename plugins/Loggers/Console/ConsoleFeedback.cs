using System.Threading.Channels;
using Conduit.Messages;
using Conduit.Messaging;
using Spectre.Console;

namespace Conduit.Loggers.Console;

/// <summary>
/// Keras-style feedback on the console: a header when a run starts, the model summary, progress, one line per epoch,
/// checkpoints, and a final metrics table with the run's outcome.
/// </summary>
/// <remarks>
/// <para>
/// The handlers run synchronously on the publisher's (training) thread and only do bookkeeping: each message, and a
/// progress snapshot when one is due, goes into one bounded queue that a single printer task writes out. One queue for
/// every message type keeps the output in publish order; the printer keeps slow terminals off the training thread.
/// </para>
/// <para>
/// <see cref="RunEnded"/> waits (up to <see cref="RunEndFlushTimeout"/>) until everything queued has been printed, so
/// the summary of a run is on screen before the run is reported finished. Dispose to stop the printer.
/// </para>
/// </remarks>
public sealed class ConsoleFeedback :
    IMessageHandler<RunStarted>,
    IMessageHandler<EpochStarted>,
    IMessageHandler<BatchEnded>,
    IMessageHandler<EpochEnded>,
    IMessageHandler<CheckpointSaved>,
    IMessageHandler<RunEnded>,
    IDisposable,
    IAsyncDisposable
{
    /// <summary>How long the end of a run waits for queued output to be printed.</summary>
    public static readonly TimeSpan RunEndFlushTimeout = TimeSpan.FromSeconds(5);

    private const int QueueCapacity = 1024;

    private readonly Lock _gate = new();
    private readonly Channel<object> _queue;
    private readonly ProgressTracker _progress;
    private readonly ConsoleRenderer _renderer;
    private readonly Task _printer;
    private long _renderFailures;

    /// <summary>Creates the feedback with <paramref name="options"/>, and starts its printer.</summary>
    public ConsoleFeedback(ConsoleLoggerOptions options)
        : this(options, System.Console.IsOutputRedirected, Environment.GetEnvironmentVariable)
    {
    }

    /// <summary>Creates the feedback writing to <paramref name="output"/> (for example a log file), and starts its printer.</summary>
    public ConsoleFeedback(TextWriter output, ConsoleProgressMode mode = ConsoleProgressMode.Plain)
        : this(new ConsoleLoggerOptions { Output = output ?? throw new ArgumentNullException(nameof(output)), Mode = mode })
    {
    }

    internal ConsoleFeedback(ConsoleLoggerOptions options, bool outputRedirected, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        IsLive = options.ResolveLive(outputRedirected, environment);
        TextWriter writer = options.Output ?? System.Console.Out;
        Console = CreateConsole(writer, IsLive, options.Width);
        _renderer = new ConsoleRenderer(Console, IsLive);
        _progress = new ProgressTracker(IsLive, plainMinimumInterval: options.PlainInterval);
        _queue = Channel.CreateBounded<object>(new BoundedChannelOptions(QueueCapacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _printer = Task.Run(PrintAsync);
    }

    /// <summary>Whether progress is drawn as one live line (an interactive terminal) rather than as plain lines.</summary>
    public bool IsLive { get; }

    /// <summary>The console everything is written to.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>How many items failed to print (a closed or broken output); they are skipped, never rethrown.</summary>
    public long RenderFailures => Interlocked.Read(ref _renderFailures);

    /// <inheritdoc/>
    public void Handle(RunStarted message) => Enqueue(message);

    /// <inheritdoc/>
    public void Handle(EpochStarted message)
    {
        lock (_gate)
        {
            _progress.StartEpoch(message.Epoch, message.BatchesInEpoch);
            Write(message, important: true);
        }
    }

    /// <inheritdoc/>
    public void Handle(BatchEnded message)
    {
        lock (_gate)
        {
            if (_progress.OnBatch(message) is ProgressUpdate update)
            {
                // A snapshot is transient: when the printer is behind, dropping one costs nothing.
                Write(update, important: false);
            }
        }
    }

    /// <inheritdoc/>
    public void Handle(EpochEnded message) => Enqueue(message);

    /// <inheritdoc/>
    public void Handle(CheckpointSaved message) => Enqueue(message);

    /// <inheritdoc/>
    public void Handle(RunEnded message)
    {
        Enqueue(message);
        try
        {
            FlushAsync().Wait(RunEndFlushTimeout);
        }
        catch (AggregateException)
        {
            // The printer failed; the output is lost but the run is not.
        }
    }

    /// <summary>Completes when everything handled so far has been printed.</summary>
    public Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (!Write(done, important: true))
            {
                return _printer;
            }
        }
        return done.Task;
    }

    /// <summary>Prints what is queued (waiting up to <see cref="RunEndFlushTimeout"/>) and stops the printer.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _printer.Wait(RunEndFlushTimeout);
    }

    /// <summary>Prints what is queued (waiting up to <see cref="RunEndFlushTimeout"/>) and stops the printer.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _printer.WaitAsync(RunEndFlushTimeout).ConfigureAwait(false);
    }

    private void Enqueue(object message)
    {
        lock (_gate)
        {
            Write(message, important: true);
        }
    }

    // Called under _gate, so that queue order is handler order. Returns false once the printer is stopped.
    private bool Write(object item, bool important)
    {
        if (_queue.Writer.TryWrite(item))
        {
            return true;
        }
        if (!important)
        {
            return true;
        }
        try
        {
            // Full: a stalled terminal. Wait for room rather than lose a line; the training thread waits only this long.
            return _queue.Writer.WaitToWriteAsync().AsTask().GetAwaiter().GetResult() && _queue.Writer.TryWrite(item);
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    private async Task PrintAsync()
    {
        await foreach (object item in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (item is TaskCompletionSource flushed)
            {
                TryFlushWriter();
                flushed.TrySetResult();
                continue;
            }
            try
            {
                _renderer.Render(item);
            }
            catch (Exception)
            {
                // A broken output (a closed pipe, a disposed writer) must not stop the rest of the feedback.
                Interlocked.Increment(ref _renderFailures);
            }
        }
        if (_renderer.Live)
        {
            TryRun(_renderer.EndLiveLine);
        }
        TryFlushWriter();
    }

    private void TryFlushWriter() => TryRun(() => Console.Profile.Out.Writer.Flush());

    private void TryRun(Action action)
    {
        try
        {
            action();
        }
        catch (Exception)
        {
            Interlocked.Increment(ref _renderFailures);
        }
    }

    private static IAnsiConsole CreateConsole(TextWriter writer, bool live, int? width)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = live ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = live ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = live ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (width is int w)
        {
            console.Profile.Width = w;
        }
        else if (!live)
        {
            // Not a terminal: lay tables out for a log file rather than for the 80 columns of an unknown terminal.
            console.Profile.Width = 200;
        }
        return console;
    }
}
