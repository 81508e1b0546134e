using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Conduit.Host.Server.Jobs;

/// <summary>
/// The job queue's persistent half: a <c>server_jobs</c> table in the experiment store, so that a restarted server
/// finds what was queued and what was running. Every change is one statement, so a crash leaves no half-written job.
/// </summary>
internal sealed class JobQueueStore : IDisposable
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS server_jobs (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
            state TEXT NOT NULL, submitted_at TEXT NOT NULL, document TEXT NOT NULL, run_id TEXT, error TEXT, checkpoint TEXT, resume INTEGER NOT NULL DEFAULT 0);
        """;

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    public JobQueueStore(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 30 }.ToString());
        _connection.Open();
        Execute("PRAGMA busy_timeout = 30000;");
        Execute(Schema);
    }

    public void Add(string id, string name, string document, DateTimeOffset submittedAt) =>
        Execute("INSERT INTO server_jobs (id, name, state, submitted_at, document) VALUES ($id, $name, $state, $at, $doc)",
            ("$id", id), ("$name", name), ("$state", Text(JobState.Queued)), ("$at", submittedAt.ToString("O", CultureInfo.InvariantCulture)), ("$doc", document));

    public void SetState(string id, JobState state, string? error = null) =>
        Execute("UPDATE server_jobs SET state = $state, error = $error WHERE id = $id", ("$id", id), ("$state", Text(state)), ("$error", error));

    public void SetRun(string id, string runId) => Execute("UPDATE server_jobs SET run_id = $run WHERE id = $id", ("$id", id), ("$run", runId));

    public void SetCheckpoint(string id, string checkpoint) => Execute("UPDATE server_jobs SET checkpoint = $c WHERE id = $id", ("$id", id), ("$c", checkpoint));

    /// <summary>Puts an interrupted job back in the queue, to continue from its last checkpoint.</summary>
    public void Requeue(string id) => Execute("UPDATE server_jobs SET state = $state, resume = 1, error = NULL WHERE id = $id", ("$id", id), ("$state", Text(JobState.Queued)));

    /// <summary>At start: jobs that were running when the last server ended did not finish, so they are interrupted.</summary>
    public int MarkRunningInterrupted() =>
        Execute("UPDATE server_jobs SET state = $to, error = 'the server stopped while it ran' WHERE state = $from", ("$to", Text(JobState.Interrupted)), ("$from", Text(JobState.Running)));

    public string Document(string id) => Query("SELECT document FROM server_jobs WHERE id = $id", r => r.GetString(0), ("$id", id)).Single();

    public JobRecord? Find(string id) => Query(Select + " WHERE id = $id", Read, ("$id", id)).SingleOrDefault();

    public IReadOnlyList<JobRecord> All() => Query(Select + " ORDER BY seq DESC", Read);

    /// <summary>The queued jobs, oldest first: the order they are taken in.</summary>
    public IReadOnlyList<JobRecord> Queued() => Query(Select + " WHERE state = $s ORDER BY seq", Read, ("$s", Text(JobState.Queued)));

    public void Dispose() => _connection.Dispose();

    private const string Select = "SELECT id, name, state, submitted_at, run_id, error, checkpoint, resume FROM server_jobs";

    private static JobRecord Read(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), Enum.Parse<JobState>(r.GetString(2), ignoreCase: true),
        DateTimeOffset.Parse(r.GetString(3), CultureInfo.InvariantCulture),
        r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6), r.GetInt64(7) != 0);

    internal static string Text(JobState state) => state.ToString().ToLowerInvariant();

    private int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        lock (_gate)
        {
            using SqliteCommand command = Command(sql, parameters);
            return command.ExecuteNonQuery();
        }
    }

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> read, params (string Name, object? Value)[] parameters)
    {
        lock (_gate)
        {
            using SqliteCommand command = Command(sql, parameters);
            using SqliteDataReader reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read())
            {
                rows.Add(read(reader));
            }
            return rows;
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
}
