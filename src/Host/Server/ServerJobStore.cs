using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Conduit.Host.Server;

/// <summary>
/// The job queue, persisted in the experiment store's SQLite file beside the runs, so that a restarted server picks
/// up queued jobs and finds the ones it was running when it stopped. Every call is one short transaction.
/// </summary>
public sealed class ServerJobStore : IDisposable
{
    private readonly SqliteFile _file;

    private ServerJobStore(SqliteFile file) => _file = file;

    /// <summary>Opens (creating when needed) the queue in <paramref name="path"/>; a statement waits <paramref name="busyTimeout"/> (5 s) for another connection's lock.</summary>
    public static ServerJobStore Open(string path, TimeSpan? busyTimeout = null)
    {
        var file = new SqliteFile(path, """
            CREATE TABLE IF NOT EXISTS server_jobs (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL, submitted_at TEXT NOT NULL,
                started_at TEXT, ended_at TEXT, run_id TEXT, reason TEXT, resume INTEGER NOT NULL DEFAULT 0,
                metrics TEXT, model TEXT, attempts INTEGER NOT NULL DEFAULT 0, worker TEXT);
            """, busyTimeout ?? ServerOptions.DefaultStoreBusyTimeout);
        file.AddColumns("server_jobs", "attempts INTEGER NOT NULL DEFAULT 0", "worker TEXT");
        return new ServerJobStore(file);
    }

    /// <summary>Null while the store's file is usable; else one line saying that it was removed, naming it.</summary>
    public string? Removed => _file.Removed;

    /// <summary>Adds a queued job.</summary>
    public void Add(ServerJob job) => _file.Execute(
        "INSERT INTO server_jobs (id, name, status, submitted_at) VALUES ($id, $name, $status, $at)",
        ("$id", job.Id), ("$name", job.Name), ("$status", job.Status.ToString()), ("$at", SqliteFile.Text(job.SubmittedAt)));

    /// <summary>Writes <paramref name="job"/>'s state.</summary>
    public void Update(ServerJob job) => _file.Execute(
        "UPDATE server_jobs SET status = $status, started_at = $started, ended_at = $ended, run_id = $run, reason = $reason, resume = $resume, metrics = $metrics, model = $model, attempts = $attempts, worker = $worker WHERE id = $id",
        ("$id", job.Id), ("$status", job.Status.ToString()), ("$started", SqliteFile.Text(job.StartedAt)),
        ("$ended", SqliteFile.Text(job.EndedAt)), ("$run", job.RunId), ("$reason", job.Reason), ("$resume", job.Resume ? 1 : 0),
        ("$metrics", job.Metrics is null ? null : JsonSerializer.Serialize(job.Metrics)), ("$model", job.Model), ("$attempts", job.Attempts), ("$worker", job.Worker));

    /// <summary>The job <paramref name="id"/>, or null.</summary>
    public ServerJob? Find(string id) => _file.Query("SELECT * FROM server_jobs WHERE id = $id", Read, ("$id", id)).FirstOrDefault();

    /// <summary>Every job, newest first.</summary>
    public IReadOnlyList<ServerJob> All() => _file.Query("SELECT * FROM server_jobs ORDER BY submitted_at DESC, id DESC", Read);

    /// <summary>The queued jobs, oldest first.</summary>
    public IReadOnlyList<ServerJob> Queued() => _file.Query("SELECT * FROM server_jobs WHERE status = 'Queued' ORDER BY submitted_at, id", Read);

    /// <summary>
    /// A server starting over a store whose last server did not stop cleanly: jobs still marked running were
    /// interrupted; they can be resumed from their last checkpoint.
    /// </summary>
    public int MarkRunningInterrupted(string reason) => _file.Execute(
        "UPDATE server_jobs SET status = 'Interrupted', reason = $reason, ended_at = $at WHERE status = 'Running'",
        ("$reason", reason), ("$at", SqliteFile.Text(DateTimeOffset.UtcNow)));

    /// <inheritdoc/>
    public void Dispose() => _file.Dispose();

    private static ServerJob Read(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), Enum.Parse<ServerJobStatus>(reader.GetString(2)), SqliteFile.Time(reader, 3)!.Value)
        {
            StartedAt = SqliteFile.Time(reader, 4),
            EndedAt = SqliteFile.Time(reader, 5),
            RunId = SqliteFile.String(reader, 6),
            Reason = SqliteFile.String(reader, 7),
            Resume = reader.GetInt64(8) != 0,
            Metrics = reader.IsDBNull(9) ? null : JsonSerializer.Deserialize<Dictionary<string, double>>(reader.GetString(9)),
            Model = SqliteFile.String(reader, 10),
            Attempts = reader.GetInt32(11),
            Worker = SqliteFile.String(reader, 12),
        };
}
