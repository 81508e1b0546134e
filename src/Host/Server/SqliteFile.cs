using System.Globalization;
using Conduit.Tracking.Store;
using Microsoft.Data.Sqlite;

namespace Conduit.Host.Server;

/// <summary>
/// One connection to a SQLite file in WAL mode, shared by the server's stores (jobs, sweeps) that live in the
/// experiment store's file: every call one short statement under a lock, so threads never share a command.
/// Each call first checks that the path still names the opened file, and a lock held by another connection past the
/// busy timeout becomes a <see cref="StoreUnavailableException"/> (try again) rather than an error.
/// </summary>
internal sealed class SqliteFile : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();
    private readonly StoreFileIdentity _identity;
    private readonly TimeSpan _busyTimeout;

    /// <summary>Opens (creating when needed) <paramref name="path"/> and runs <paramref name="schema"/> once.</summary>
    /// <param name="busyTimeout">How long a statement waits for another connection's lock before giving up.</param>
    public SqliteFile(string path, string schema, TimeSpan busyTimeout)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        // Microsoft.Data.Sqlite retries a busy statement itself until its command timeout (whole seconds, 30 by
        // default), beyond SQLite's busy_timeout: both say how long to wait.
        int seconds = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds));
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = seconds }.ToString());
        _connection.Open();
        _identity = StoreFileIdentity.Of(path);
        _busyTimeout = TimeSpan.FromSeconds(seconds);
        // One statement at a time: in one command, a later statement that found the store locked failed silently.
        foreach (string statement in $"PRAGMA journal_mode = WAL; PRAGMA busy_timeout = {seconds * 1000}; {schema}".Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Execute(statement);
        }
    }

    /// <summary>Null while the file is usable; else one line saying that it was removed, naming it.</summary>
    public string? Removed => _identity.Problem() is { } problem ? $"{problem} while the server ran; restart the server to create a new one" : null;

    /// <summary>Runs a statement; the rows it changed.</summary>
    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        return Guarded(() =>
        {
            using SqliteCommand command = Command(sql, parameters);
            return command.ExecuteNonQuery();
        });
    }

    /// <summary>Each row of a query, read by <paramref name="row"/>.</summary>
    public List<T> Query<T>(string sql, Func<SqliteDataReader, T> row, params (string Name, object? Value)[] parameters)
    {
        return Guarded(() =>
        {
            using SqliteCommand command = Command(sql, parameters);
            using SqliteDataReader reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read())
            {
                rows.Add(row(reader));
            }
            return rows;
        });
    }

    /// <summary>Adds to <paramref name="table"/> the columns it lacks (a file written by an older version), at the end.</summary>
    public void AddColumns(string table, params string[] columns)
    {
        var existing = new HashSet<string>(Query($"PRAGMA table_info({table})", r => r.GetString(1)), StringComparer.OrdinalIgnoreCase);
        foreach (string column in columns.Where(c => !existing.Contains(c.Split(' ')[0])))
        {
            Execute($"ALTER TABLE {table} ADD COLUMN {column}");
        }
    }

    /// <summary>A time as the stores write it (round-trip ISO 8601).</summary>
    public static string? Text(DateTimeOffset? time) => time?.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>The time in column <paramref name="column"/>, or null.</summary>
    public static DateTimeOffset? Time(SqliteDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : DateTimeOffset.Parse(reader.GetString(column), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    /// <summary>The string in column <paramref name="column"/>, or null.</summary>
    public static string? String(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    /// <inheritdoc/>
    public void Dispose() => _connection.Dispose();

    // Never a write into an unlinked file; a lock past the busy timeout is a one-line "try again" naming the file.
    private T Guarded<T>(Func<T> statement)
    {
        lock (_gate)
        {
            if (Removed is { } removed)
            {
                throw new StoreUnavailableException(removed);
            }
            try
            {
                return statement();
            }
            catch (SqliteException e) when (StoreUnavailableException.IsBusy(e))
            {
                throw new StoreUnavailableException(
                    $"experiment store {_identity.Path} is locked by another connection (waited {_busyTimeout.TotalSeconds:0} s); try again shortly", TimeSpan.FromSeconds(1), e);
            }
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
