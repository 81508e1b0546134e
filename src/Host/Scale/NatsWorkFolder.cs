using System.Text.Json;
using System.Text.Json.Nodes;
using Conduit.Host.Jobs;

namespace Conduit.Host.Scale;

/// <summary>
/// Where a NATS worker keeps a job's files. Without a store of its own it uses the paths the server named (a file
/// system shared with the server) and records its runs nowhere: the server records them from the events. With one
/// (<c>conduit worker --nats URL --store FILE</c>) each job gets a folder beside that store, <c>jobs/&lt;id&gt;</c>, and
/// its job file is rewritten to write there and to record its runs in that store (a record of the worker's own),
/// reading its data from copies in <c>data/&lt;sha256&gt;</c> beside it: nothing is shared with the server on disk;
/// data, checkpoints and models travel through the object store.
/// </summary>
internal sealed class NatsWorkFolder(string? storePath)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The job file a worker without a store of its own runs, beside the server's <c>job.json</c>.</summary>
    public const string WorkerJobFile = "worker-job.json";

    /// <summary>Where copies of data files are kept by hash; null when the worker reads the server's paths.</summary>
    public string? DataCache => storePath is null ? null : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(storePath))!, "data");

    /// <summary>Writes <paramref name="job"/>'s file where this worker runs it; returns its path (its folder is the job's folder).</summary>
    /// <param name="job">The job.</param>
    /// <param name="localData">Local copies of its data files, by data key, to read instead of the server's paths.</param>
    /// <exception cref="InvalidDataException">The job's id or document cannot be used here.</exception>
    public async Task<string> JobFileAsync(NatsJob job, IReadOnlyDictionary<string, string> localData)
    {
        JsonObject document = JsonNode.Parse(job.Document) as JsonObject ?? throw new InvalidDataException($"job {job.Id}: its document is not a JSON object");
        if (storePath is null)
        {
            // The server's own folder; its sqlite logger would write the server's store, which the server alone writes
            // (it records the run from the events). The server's job file stays as the server wrote it.
            if (document["loggers"] is JsonObject shared)
            {
                shared["sqlite"] = false;
            }
            string jobFolder = Path.GetDirectoryName(job.JobFile)!;
            Directory.CreateDirectory(jobFolder);
            string copy = Path.Combine(jobFolder, WorkerJobFile);
            await File.WriteAllTextAsync(copy, document.ToJsonString(Indented)).ConfigureAwait(false);
            return copy;
        }
        // The id comes off the network and becomes a folder name.
        if (PathSegment.Problem(job.Id) is { } problem)
        {
            throw new InvalidDataException($"job id {problem}");
        }
        string store = Path.GetFullPath(storePath);
        string folder = Path.Combine(Path.GetDirectoryName(store)!, "jobs", job.Id);
        JsonObject trainer = document["trainer"] as JsonObject ?? [];
        trainer["default_root_dir"] = folder;
        document["trainer"] = trainer;
        if (document["loggers"] is JsonObject loggers && loggers["sqlite"] is JsonObject sqlite)
        {
            sqlite["path"] = store;
        }
        if (document["data"] is JsonObject data)
        {
            foreach (var (key, path) in localData)
            {
                data[key] = path;
            }
        }
        Directory.CreateDirectory(folder);
        string file = Path.Combine(folder, "job.json");
        await File.WriteAllTextAsync(file, document.ToJsonString(Indented)).ConfigureAwait(false);
        return file;
    }
}
