using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Conduit.Host.Server;

/// <summary>
/// One connection to a SQLite file in WAL mode, shared by the server's stores (jobs, sweeps) that live in the
/// experiment store's file: every call one short statement under a lock, so threads never share a command.
/// </summary>
internal sealed class SqliteFile : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    /// <summary>Opens (creating when needed) <paramref name="path"/> and runs <paramref name="schema"/> once.</summary>
    public SqliteFile(string path, string schema)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute($"PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; {schema}");
    }

    /// <summary>Runs a statement; the rows it changed.</summary>
    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        lock (_gate)
        {
            using SqliteCommand command = Command(sql, parameters);
            return command.ExecuteNonQuery();
        }
    }

    /// <summary>Each row of a query, read by <paramref name="row"/>.</summary>
    public List<T> Query<T>(string sql, Func<SqliteDataReader, T> row, params (string Name, object? Value)[] parameters)
    {
        lock (_gate)
        {
            using SqliteCommand command = Command(sql, parameters);
            using SqliteDataReader reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read())
            {
                rows.Add(row(reader));
            }
            return rows;
        }
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
