namespace Conduit.Host.Server;

/// <summary>How <c>conduit serve</c> runs.</summary>
public sealed class ServerOptions
{
    /// <summary>The addresses Kestrel listens on; loopback by default.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>The experiment store (SQLite): runs, metrics and the job queue. Its folder holds the jobs' files.</summary>
    public string StorePath { get; set; } = Path.GetFullPath("runs/conduit.db");

    /// <summary>How long a write to the store waits for another connection's lock (whole seconds, at least 1) before the request answers 503 (try again).</summary>
    public TimeSpan StoreBusyTimeout { get; set; } = DefaultStoreBusyTimeout;

    /// <summary>The default <see cref="StoreBusyTimeout"/>.</summary>
    public static readonly TimeSpan DefaultStoreBusyTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The folder job data paths must stay inside (relative paths are resolved against it).</summary>
    public string DataRoot { get; set; } = Environment.CurrentDirectory;

    /// <summary>Jobs run at once, each in a worker process of its own.</summary>
    public int Workers { get; set; } = 1;

    /// <summary>How many worker processes a job may start in: after a worker dies, the job is retried from its last checkpoint until then.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>A NATS server (<c>nats://host:port</c>) whose JetStream queue the jobs go to, for workers on any machine (<c>conduit worker --nats</c>); null runs them in local worker processes.</summary>
    public string? NatsUrl { get; set; }

    /// <summary>With NATS: how long a worker may go unheard (no progress ack) before its job is redelivered to another.</summary>
    public TimeSpan AckWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether the sweeps the store says are running continue when the server starts (<c>conduit sweep</c> picks its own).</summary>
    public bool ContinueSweeps { get; set; } = true;

    /// <summary>When set, every request but <c>/health</c> needs it in the <see cref="ApiKeyHeader"/> header.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The header that carries the API key.</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>The largest request body accepted, in bytes.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1 << 20;

    /// <summary>Models served from the start: name to an .onnx file or a checkpoint.</summary>
    public Dictionary<string, string> Models { get; } = new(StringComparer.Ordinal);

    /// <summary>How concurrent predict requests are gathered into batches.</summary>
    public BatchingOptions Batching { get; set; } = new();

    /// <summary>The host's plugin folders and log level.</summary>
    public ConduitHostOptions Host { get; set; } = new();
}

/// <summary>
/// Dynamic batching: requests gathered until a batch is full or its first request has waited <paramref name="MaxWait"/>.
/// With no wait (the default), a batch is whatever queued while the model ran the previous one: no request waits
/// for company, and batches grow with the load by themselves. A wait (LitServe's way) trades latency for fuller
/// batches, which pays when one model call costs much more than a request.
/// </summary>
/// <param name="MaxBatchSize">The most examples in one batch; 1 turns batching off.</param>
/// <param name="MaxWait">How long the first request of a batch waits for others.</param>
public sealed record BatchingOptions(int MaxBatchSize = 64, TimeSpan MaxWait = default);
