namespace Conduit.Host.Server;

/// <summary>How <c>conduit serve</c> runs: where it listens, where it keeps jobs and runs, what it serves.</summary>
public sealed class ServerOptions
{
    /// <summary>The listening addresses; loopback by default, so nothing is exposed unless asked.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>The experiment store (SQLite): runs, metrics and the job queue. Its folder holds every job's files.</summary>
    public string StoreFile { get; set; } = Path.GetFullPath("runs/conduit.db");

    /// <summary>When set, every request but <c>/health</c> and the dashboard's static files needs it in <see cref="ApiKeyHeader"/>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The header that carries the API key (LitServe's name).</summary>
    public const string ApiKeyHeader = "X-API-Key";

    /// <summary>How many jobs train at once.</summary>
    public int Workers { get; set; } = 1;

    /// <summary>The largest request body accepted, in bytes.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1 << 20;

    /// <summary>The folder relative data paths of submitted jobs resolve against; no job may read outside it.</summary>
    public string DataRoot { get; set; } = Directory.GetCurrentDirectory();

    /// <summary>Models to serve: name to an .onnx file or a checkpoint.</summary>
    public IDictionary<string, string> Models { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The most requests gathered into one model call (1 turns batching off).</summary>
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>How long the first request of a batch waits for others.</summary>
    public TimeSpan BatchTimeout { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>The folder under the store's folder that holds the jobs' files (documents, checkpoints, logs).</summary>
    internal string JobsFolder => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(StoreFile))!, "jobs");
}
