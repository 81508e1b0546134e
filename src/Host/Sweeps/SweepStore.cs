using System.Text.Json;
using System.Text.Json.Nodes;
using Conduit.Host.Server;
using Conduit.Host.Sweeps.Search;
using Microsoft.Data.Sqlite;

namespace Conduit.Host.Sweeps;

/// <summary>A sweep as the store keeps it.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Status"><c>running</c>, <c>completed</c>, <c>canceled</c> or <c>failed</c>.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="EndedAt">When it ended.</param>
/// <param name="Reason">Why it ended so, when not completed.</param>
/// <param name="Document">The sweep, its job inline: enough to continue it.</param>
public sealed record SweepRecord(string Id, string Name, string Status, DateTimeOffset CreatedAt, DateTimeOffset? EndedAt, string? Reason, JsonObject Document);

/// <summary>One trial of a sweep: an ordinary job, its parameters, and how it ended.</summary>
/// <param name="Number">Its number in the sweep, from 0.</param>
/// <param name="Parameters">Its parameters.</param>
/// <param name="JobId">The job that runs it.</param>
/// <param name="Status"><c>running</c>, <c>completed</c>, <c>pruned</c>, <c>failed</c> or <c>canceled</c>.</param>
/// <param name="Value">The sweep's metric: the final value, else the last reported.</param>
/// <param name="Epochs">Epochs it reported.</param>
/// <param name="Rung">The epoch it was stopped at, when pruned.</param>
/// <param name="Reason">Why it was pruned, failed or canceled.</param>
/// <param name="Metrics">Its final metrics.</param>
/// <param name="RunId">Its run in the experiment store.</param>
/// <param name="Model">Its exported model.</param>
public sealed record TrialRecord(int Number, ParameterSet Parameters, string JobId, string Status, double? Value, int Epochs, int? Rung,
    string? Reason, IReadOnlyDictionary<string, double>? Metrics, string? RunId, string? Model)
{
    /// <summary>Whether it has ended (anything but running).</summary>
    public bool Ended => Status != "running";
}

/// <summary>
/// Sweeps, their trials and every metric value a trial reported after an epoch, in the experiment store's file: a
/// controller that restarts finds what ran, what runs, and replays the reports to rebuild its early-stop rule.
/// </summary>
public sealed class SweepStore : IDisposable
{
    private readonly SqliteFile _file;

    private SweepStore(SqliteFile file) => _file = file;

    /// <summary>Opens (creating when needed) the sweeps in <paramref name="path"/>; a statement waits <paramref name="busyTimeout"/> (5 s) for another connection's lock.</summary>
    public static SweepStore Open(string path, TimeSpan? busyTimeout = null) => new(new SqliteFile(path, """
        CREATE TABLE IF NOT EXISTS sweeps (id TEXT PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL,
            ended_at TEXT, reason TEXT, document TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS sweep_trials (sweep_id TEXT NOT NULL, number INTEGER NOT NULL, parameters TEXT NOT NULL, job_id TEXT NOT NULL,
            status TEXT NOT NULL, value REAL, epochs INTEGER NOT NULL DEFAULT 0, rung INTEGER, reason TEXT, metrics TEXT, run_id TEXT, model TEXT,
            PRIMARY KEY (sweep_id, number), UNIQUE (sweep_id, parameters));
        CREATE TABLE IF NOT EXISTS sweep_reports (seq INTEGER PRIMARY KEY AUTOINCREMENT, sweep_id TEXT NOT NULL, number INTEGER NOT NULL,
            epoch INTEGER NOT NULL, value REAL NOT NULL);
        """, busyTimeout ?? ServerOptions.DefaultStoreBusyTimeout));

    /// <summary>Adds a running sweep.</summary>
    public void Add(SweepRecord sweep) => _file.Execute(
        "INSERT INTO sweeps (id, name, status, created_at, document) VALUES ($id, $name, $status, $at, $document)",
        ("$id", sweep.Id), ("$name", sweep.Name), ("$status", sweep.Status), ("$at", SqliteFile.Text(sweep.CreatedAt)), ("$document", sweep.Document.ToJsonString()));

    /// <summary>Records how sweep <paramref name="id"/> ended.</summary>
    public void End(string id, string status, string? reason) => _file.Execute(
        "UPDATE sweeps SET status = $status, reason = $reason, ended_at = $at WHERE id = $id",
        ("$id", id), ("$status", status), ("$reason", reason), ("$at", SqliteFile.Text(DateTimeOffset.UtcNow)));

    /// <summary>The sweep <paramref name="id"/>, or null.</summary>
    public SweepRecord? Find(string id) => _file.Query("SELECT * FROM sweeps WHERE id = $id", ReadSweep, ("$id", id)).FirstOrDefault();

    /// <summary>Every sweep, newest first.</summary>
    public IReadOnlyList<SweepRecord> All() => _file.Query("SELECT * FROM sweeps ORDER BY created_at DESC, id DESC", ReadSweep);

    /// <summary>The trials of sweep <paramref name="id"/>, by number.</summary>
    public IReadOnlyList<TrialRecord> Trials(string id) =>
        _file.Query("SELECT * FROM sweep_trials WHERE sweep_id = $id ORDER BY number", ReadTrial, ("$id", id));

    /// <summary>Adds a trial, before its job is submitted: a controller that dies in between submits it on restart.</summary>
    public void AddTrial(string sweepId, TrialRecord trial) => _file.Execute(
        "INSERT INTO sweep_trials (sweep_id, number, parameters, job_id, status) VALUES ($sweep, $number, $parameters, $job, $status)",
        ("$sweep", sweepId), ("$number", trial.Number), ("$parameters", trial.Parameters.Key), ("$job", trial.JobId), ("$status", trial.Status));

    /// <summary>Writes a trial's state.</summary>
    public void UpdateTrial(string sweepId, TrialRecord trial) => _file.Execute(
        "UPDATE sweep_trials SET status = $status, value = $value, epochs = $epochs, rung = $rung, reason = $reason, metrics = $metrics, run_id = $run, model = $model WHERE sweep_id = $sweep AND number = $number",
        ("$sweep", sweepId), ("$number", trial.Number), ("$status", trial.Status), ("$value", trial.Value), ("$epochs", trial.Epochs), ("$rung", trial.Rung),
        ("$reason", trial.Reason), ("$metrics", trial.Metrics is null ? null : JsonSerializer.Serialize(trial.Metrics)), ("$run", trial.RunId), ("$model", trial.Model));

    /// <summary>Records a trial's metric after an epoch.</summary>
    public void Report(string sweepId, int number, int epoch, double value) => _file.Execute(
        "INSERT INTO sweep_reports (sweep_id, number, epoch, value) VALUES ($sweep, $number, $epoch, $value)",
        ("$sweep", sweepId), ("$number", number), ("$epoch", epoch), ("$value", value));

    /// <summary>Every report of sweep <paramref name="id"/>, in the order they came.</summary>
    public IReadOnlyList<(int Number, int Epoch, double Value)> Reports(string id) =>
        _file.Query("SELECT number, epoch, value FROM sweep_reports WHERE sweep_id = $id ORDER BY seq", r => (r.GetInt32(0), r.GetInt32(1), r.GetDouble(2)), ("$id", id));

    /// <inheritdoc/>
    public void Dispose() => _file.Dispose();

    private static SweepRecord ReadSweep(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), SqliteFile.Time(r, 3)!.Value, SqliteFile.Time(r, 4), SqliteFile.String(r, 5), JsonNode.Parse(r.GetString(6))!.AsObject());

    private static TrialRecord ReadTrial(SqliteDataReader r) =>
        new(r.GetInt32(1), ParameterSet.Parse(r.GetString(2)), r.GetString(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetDouble(5), r.GetInt32(6),
            r.IsDBNull(7) ? null : r.GetInt32(7), SqliteFile.String(r, 8),
            r.IsDBNull(9) ? null : JsonSerializer.Deserialize<Dictionary<string, double>>(r.GetString(9)), SqliteFile.String(r, 10), SqliteFile.String(r, 11));
}
