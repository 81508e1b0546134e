using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Conduit.Host.Server;

/// <summary>
/// The job queue, persisted in the experiment store's SQLite file beside the runs, so that a restarted server picks
/// up queued jobs and finds the ones it was running when it stopped. Every call is one short transaction.
/// </summary>
public sealed class ServerJobStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    private ServerJobStore(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens (creating when needed) the queue in <paramref name="path"/>.</summary>
    public static ServerJobStore Open(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using SqliteCommand setup = connection.CreateCommand();
        setup.CommandText = """
            PRAGMA journal_mode = WAL;
            PRAGMA busy_timeout = 5000;
            CREATE TABLE IF NOT EXISTS server_jobs (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL, submitted_at TEXT NOT NULL,
                started_at TEXT, ended_at TEXT, run_id TEXT, reason TEXT, resume INTEGER NOT NULL DEFAULT 0,
                metrics TEXT, model TEXT, attempts INTEGER NOT NULL DEFAULT 0, worker TEXT);
            """;
        setup.ExecuteNonQuery();
        AddColumns(connection, "attempts INTEGER NOT NULL DEFAULT 0", "worker TEXT");
        return new ServerJobStore(connection);
    }

    /// <summary>Adds a queued job.</summary>
    public void Add(ServerJob job) => Execute(
        "INSERT INTO server_jobs (id, name, status, submitted_at) VALUES ($id, $name, $status, $at)",
        ("$id", job.Id), ("$name", job.Name), ("$status", job.Status.ToString()), ("$at", job.SubmittedAt.ToString("O", CultureInfo.InvariantCulture)));

    /// <summary>Writes <paramref name="job"/>'s state.</summary>
    public void Update(ServerJob job) => Execute(
        "UPDATE server_jobs SET status = $status, started_at = $started, ended_at = $ended, run_id = $run, reason = $reason, resume = $resume, metrics = $metrics, model = $model, attempts = $attempts, worker = $worker WHERE id = $id",
        ("$id", job.Id), ("$status", job.Status.ToString()), ("$started", job.StartedAt?.ToString("O", CultureInfo.InvariantCulture)),
        ("$ended", job.EndedAt?.ToString("O", CultureInfo.InvariantCulture)), ("$run", job.RunId), ("$reason", job.Reason), ("$resume", job.Resume ? 1 : 0),
        ("$metrics", job.Metrics is null ? null : JsonSerializer.Serialize(job.Metrics)), ("$model", job.Model), ("$attempts", job.Attempts), ("$worker", job.Worker));

    /// <summary>The job <paramref name="id"/>, or null.</summary>
    public ServerJob? Find(string id) => Query("SELECT * FROM server_jobs WHERE id = $id", ("$id", id)).FirstOrDefault();

    /// <summary>Every job, newest first.</summary>
    public IReadOnlyList<ServerJob> All() => Query("SELECT * FROM server_jobs ORDER BY submitted_at DESC, id DESC");

    /// <summary>The queued jobs, oldest first.</summary>
    public IReadOnlyList<ServerJob> Queued() => Query("SELECT * FROM server_jobs WHERE status = 'Queued' ORDER BY submitted_at, id");

    /// <summary>
    /// A server starting over a store whose last server did not stop cleanly: jobs still marked running were
    /// interrupted; they can be resumed from their last checkpoint.
    /// </summary>
    public int MarkRunningInterrupted(string reason) => Execute(
        "UPDATE server_jobs SET status = 'Interrupted', reason = $reason, ended_at = $at WHERE status = 'Running'",
        ("$reason", reason), ("$at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)));

    /// <inheritdoc/>
    public void Dispose() => _connection.Dispose();

    private int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        lock (_gate)
        {
            using SqliteCommand command = Command(sql, parameters);
            return command.ExecuteNonQuery();
        }
    }

    private List<ServerJob> Query(string sql, params (string Name, object? Value)[] parameters)
    {
        lock (_gate)
        {
            using SqliteCommand command = Command(sql, parameters);
            using SqliteDataReader reader = command.ExecuteReader();
            var jobs = new List<ServerJob>();
            while (reader.Read())
            {
                jobs.Add(new ServerJob(reader.GetString(0), reader.GetString(1), Enum.Parse<ServerJobStatus>(reader.GetString(2)), Time(reader, 3)!.Value)
                {
                    StartedAt = Time(reader, 4),
                    EndedAt = Time(reader, 5),
                    RunId = reader.IsDBNull(6) ? null : reader.GetString(6),
                    Reason = reader.IsDBNull(7) ? null : reader.GetString(7),
                    Resume = reader.GetInt64(8) != 0,
                    Metrics = reader.IsDBNull(9) ? null : JsonSerializer.Deserialize<Dictionary<string, double>>(reader.GetString(9)),
                    Model = reader.IsDBNull(10) ? null : reader.GetString(10),
                    Attempts = reader.GetInt32(11),
                    Worker = reader.IsDBNull(12) ? null : reader.GetString(12),
                });
            }
            return jobs;
        }
    }

    private SqliteCommand Command(string sql, (string Name, object? Value)[] parameters)
    {
        SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }

    // A queue written by an older server gains the columns it lacks, at the end, where SELECT * reads them.
    private static void AddColumns(SqliteConnection connection, params string[] columns)
    {
        var existing = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using (SqliteCommand info = connection.CreateCommand())
        {
            info.CommandText = "PRAGMA table_info(server_jobs)";
            using SqliteDataReader reader = info.ExecuteReader();
            while (reader.Read())
            {
                existing.Add(reader.GetString(1));
            }
        }
        foreach (string column in columns.Where(c => !existing.Contains(c.Split(' ')[0])))
        {
            using SqliteCommand alter = connection.CreateCommand();
            alter.CommandText = $"ALTER TABLE server_jobs ADD COLUMN {column}";
            alter.ExecuteNonQuery();
        }
    }

    private static DateTimeOffset? Time(SqliteDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : DateTimeOffset.Parse(reader.GetString(column), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
