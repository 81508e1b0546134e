using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Conduit.Tracking.Store;

/// <summary>A run as the store records it.</summary>
/// <param name="Id">The run's id.</param>
/// <param name="Name">The job's name.</param>
/// <param name="Version">The run's number among runs of that name, from 0.</param>
/// <param name="Status">running, completed, stopped, canceled or failed.</param>
/// <param name="StartedAt">When it (first) started.</param>
/// <param name="EndedAt">When it ended, if it has.</param>
/// <param name="Host">The machine it ran on.</param>
/// <param name="GitCommit">The commit of the job's repository, if any.</param>
public sealed record StoredRun(string Id, string Name, int Version, string Status, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string Host, string? GitCommit);

/// <summary>
/// The experiment store: one SQLite file in WAL mode, so several runs (processes) write at once while readers read.
/// Tables: runs, params, metrics (one row per run, step and name), artifacts, tags.
/// </summary>
public sealed class RunStore : IDisposable
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS runs (id TEXT PRIMARY KEY, name TEXT NOT NULL, version INTEGER NOT NULL, status TEXT NOT NULL,
            started_at TEXT NOT NULL, ended_at TEXT, config TEXT NOT NULL, git_commit TEXT, host TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS params (run_id TEXT NOT NULL REFERENCES runs(id), key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (run_id, key));
        CREATE TABLE IF NOT EXISTS metrics (run_id TEXT NOT NULL REFERENCES runs(id), step INTEGER NOT NULL, epoch INTEGER NOT NULL,
            name TEXT NOT NULL, value REAL NOT NULL, PRIMARY KEY (run_id, name, step)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS artifacts (run_id TEXT NOT NULL REFERENCES runs(id), kind TEXT NOT NULL, path TEXT NOT NULL, created_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS tags (run_id TEXT NOT NULL REFERENCES runs(id), key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (run_id, key));
        """;

    private readonly SqliteConnection _connection;
    private readonly StoreFileIdentity _identity;

    private RunStore(SqliteConnection connection, StoreFileIdentity identity)
    {
        _connection = connection;
        _identity = identity;
    }

    /// <summary>The store's file.</summary>
    public string Path => _connection.DataSource;

    /// <summary>Opens (creating if needed) the store at <paramref name="path"/>.</summary>
    /// <param name="path">The store's file.</param>
    /// <param name="busyTimeoutSeconds">How long a write waits for another connection's lock before it fails (and is retried by its caller).</param>
    public static RunStore Open(string path, int busyTimeoutSeconds = 30)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        // Microsoft.Data.Sqlite retries a busy statement until its command timeout, beyond SQLite's busy_timeout: both set.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = busyTimeoutSeconds }.ToString());
        try
        {
            connection.Open();
            var identity = StoreFileIdentity.Of(path);
            Execute(connection, $"PRAGMA busy_timeout = {busyTimeoutSeconds * 1000};");
            // One statement at a time: in one command, a later statement that found the store locked failed silently
            // (the tables were not created and the run's writes then failed on "no such table").
            foreach (string statement in Schema.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                Execute(connection, statement);
            }
            return new RunStore(connection, identity);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Opens an existing store for reading.</summary>
    /// <exception cref="FileNotFoundException">There is no store at <paramref name="path"/>.</exception>
    public static RunStore OpenExisting(string path) =>
        File.Exists(path) ? Open(path) : throw new FileNotFoundException($"{System.IO.Path.GetFullPath(path)}: no experiment store here; expected the file a run's sqlite logger wrote (loggers.sqlite.path, default <default_root_dir>/conduit.db)", path);

    /// <summary>Records a run's start, or for a resumed run its restart: later metrics than <paramref name="resumedAtStep"/> are dropped.</summary>
    public void Start(string runId, string name, DateTimeOffset startedAt, IReadOnlyDictionary<string, string> config, string? gitCommit, long? resumedAtStep)
    {
        ThrowIfRemoved();
        using SqliteTransaction transaction = _connection.BeginTransaction();
        bool known = Scalar<long>("SELECT COUNT(*) FROM runs WHERE id = $id", ("$id", runId)) > 0;
        if (known)
        {
            Run("UPDATE runs SET status = 'running', ended_at = NULL WHERE id = $id", ("$id", runId));
            Run("DELETE FROM metrics WHERE run_id = $id AND step > $step", ("$id", runId), ("$step", resumedAtStep ?? -1));
        }
        else
        {
            long version = Scalar<long>("SELECT COUNT(*) FROM runs WHERE name = $name", ("$name", name));
            Run("INSERT INTO runs (id, name, version, status, started_at, config, git_commit, host) VALUES ($id, $name, $version, 'running', $started, $config, $git, $host)",
                ("$id", runId), ("$name", name), ("$version", version), ("$started", startedAt.ToString("O", CultureInfo.InvariantCulture)),
                ("$config", System.Text.Json.JsonSerializer.Serialize(config)), ("$git", (object?)gitCommit ?? DBNull.Value), ("$host", Environment.MachineName));
            foreach (var (key, value) in config)
            {
                Run("INSERT OR REPLACE INTO params (run_id, key, value) VALUES ($id, $key, $value)", ("$id", runId), ("$key", key), ("$value", value));
            }
        }
        transaction.Commit();
    }

    /// <summary>Records metric values, in one transaction (a re-logged step replaces its values).</summary>
    public void AddMetrics(IEnumerable<(string RunId, long Step, int Epoch, string Name, double Value)> rows)
    {
        ThrowIfRemoved();
        using SqliteTransaction transaction = _connection.BeginTransaction();
        using SqliteCommand insert = _connection.CreateCommand();
        insert.CommandText = "INSERT OR REPLACE INTO metrics (run_id, step, epoch, name, value) VALUES ($run, $step, $epoch, $name, $value)";
        SqliteParameter run = insert.Parameters.Add("$run", SqliteType.Text);
        SqliteParameter step = insert.Parameters.Add("$step", SqliteType.Integer);
        SqliteParameter epoch = insert.Parameters.Add("$epoch", SqliteType.Integer);
        SqliteParameter name = insert.Parameters.Add("$name", SqliteType.Text);
        SqliteParameter value = insert.Parameters.Add("$value", SqliteType.Real);
        insert.Prepare();
        foreach (var row in rows)
        {
            run.Value = row.RunId;
            step.Value = row.Step;
            epoch.Value = row.Epoch;
            name.Value = row.Name;
            value.Value = row.Value;
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    /// <summary>Records a file the run produced.</summary>
    public void AddArtifact(string runId, string kind, string path) =>
        Run("INSERT INTO artifacts (run_id, kind, path, created_at) VALUES ($id, $kind, $path, $at)",
            ("$id", runId), ("$kind", kind), ("$path", path), ("$at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)));

    /// <summary>Sets a tag on a run.</summary>
    public void Tag(string runId, string key, string value) =>
        Run("INSERT OR REPLACE INTO tags (run_id, key, value) VALUES ($id, $key, $value)", ("$id", runId), ("$key", key), ("$value", value));

    /// <summary>Records how a run ended.</summary>
    public void End(string runId, string status, DateTimeOffset endedAt) =>
        Run("UPDATE runs SET status = $status, ended_at = $ended WHERE id = $id", ("$id", runId), ("$status", status), ("$ended", endedAt.ToString("O", CultureInfo.InvariantCulture)));

    /// <summary>Every run, newest first.</summary>
    public IReadOnlyList<StoredRun> Runs() => QueryRuns("SELECT id, name, version, status, started_at, ended_at, host, git_commit FROM runs ORDER BY started_at DESC");

    /// <summary>The run <paramref name="idOrPrefix"/> names (its id, a unique prefix of it, or <c>name/version</c>).</summary>
    /// <exception cref="KeyNotFoundException">No run, or more than one, matches.</exception>
    public StoredRun Find(string idOrPrefix)
    {
        IReadOnlyList<StoredRun> all = Runs();
        StoredRun[] matches = [.. all.Where(r => r.Id == idOrPrefix || $"{r.Name}/{r.Version}" == idOrPrefix)];
        if (matches.Length == 0)
        {
            matches = [.. all.Where(r => r.Id.StartsWith(idOrPrefix, StringComparison.Ordinal))];
        }
        return matches.Length switch
        {
            1 => matches[0],
            0 => throw new KeyNotFoundException($"run '{idOrPrefix}' is not in {Path}; expected a run id, a unique prefix of one, or name/version (see conduit runs list)"),
            _ => throw new KeyNotFoundException($"run '{idOrPrefix}' matches {matches.Length} runs ({string.Join(", ", matches.Take(5).Select(r => r.Id))}); expected a longer prefix"),
        };
    }

    /// <summary>A run's parameters.</summary>
    public IReadOnlyDictionary<string, string> Params(string runId) =>
        Query("SELECT key, value FROM params WHERE run_id = $id ORDER BY key", r => (r.GetString(0), r.GetString(1)), ("$id", runId)).ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal);

    /// <summary>A run's tags.</summary>
    public IReadOnlyDictionary<string, string> Tags(string runId) =>
        Query("SELECT key, value FROM tags WHERE run_id = $id ORDER BY key", r => (r.GetString(0), r.GetString(1)), ("$id", runId)).ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal);

    /// <summary>A run's artifacts.</summary>
    public IReadOnlyList<(string Kind, string Path)> Artifacts(string runId) =>
        Query("SELECT kind, path FROM artifacts WHERE run_id = $id ORDER BY created_at", r => (r.GetString(0), r.GetString(1)), ("$id", runId));

    /// <summary>The names of a run's metrics.</summary>
    public IReadOnlyList<string> MetricNames(string runId) =>
        Query("SELECT DISTINCT name FROM metrics WHERE run_id = $id ORDER BY name", r => r.GetString(0), ("$id", runId));

    /// <summary>A metric's values by step.</summary>
    public IReadOnlyList<(long Step, int Epoch, double Value)> Metric(string runId, string name) =>
        Query("SELECT step, epoch, value FROM metrics WHERE run_id = $id AND name = $name ORDER BY step", r => (r.GetInt64(0), r.GetInt32(1), r.GetDouble(2)), ("$id", runId), ("$name", name));

    /// <summary>Each metric's last value (at the highest step).</summary>
    public IReadOnlyDictionary<string, double> LastMetrics(string runId) =>
        Query("""
            SELECT m.name, m.value FROM metrics m
            JOIN (SELECT name, MAX(step) AS step FROM metrics WHERE run_id = $id GROUP BY name) last ON last.name = m.name AND last.step = m.step
            WHERE m.run_id = $id ORDER BY m.name
            """, r => (r.GetString(0), r.GetDouble(1)), ("$id", runId)).ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal);

    /// <inheritdoc/>
    public void Dispose() => _connection.Dispose();

    private IReadOnlyList<StoredRun> QueryRuns(string sql, params (string, object)[] parameters) =>
        Query(sql, r => new StoredRun(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetString(3),
            DateTimeOffset.Parse(r.GetString(4), CultureInfo.InvariantCulture), r.IsDBNull(5) ? null : DateTimeOffset.Parse(r.GetString(5), CultureInfo.InvariantCulture),
            r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7)), parameters);

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> read, params (string Name, object Value)[] parameters)
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

    private T Scalar<T>(string sql, params (string Name, object Value)[] parameters)
    {
        using SqliteCommand command = Command(sql, parameters);
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), CultureInfo.InvariantCulture);
    }

    // SQLite writes into a removed (unlinked) file without an error, and everything written there is lost with it.
    private void ThrowIfRemoved()
    {
        if (_identity.Problem() is { } problem)
        {
            throw new StoreUnavailableException($"{problem} after this run opened it; its records since are not in the store");
        }
    }

    private void Run(string sql, params (string Name, object Value)[] parameters)
    {
        ThrowIfRemoved();
        using SqliteCommand command = Command(sql, parameters);
        command.ExecuteNonQuery();
    }

    private SqliteCommand Command(string sql, (string Name, object Value)[] parameters)
    {
        SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
