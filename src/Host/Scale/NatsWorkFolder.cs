using System.Text.Json;
using System.Text.Json.Nodes;
using Conduit.Host.Jobs;

namespace Conduit.Host.Scale;

/// <summary>
/// Where a NATS worker keeps a job's files. Without a store of its own it uses the paths the server named (a file
/// system shared with the server). With one (<c>conduit worker --nats URL --store FILE</c>) each job gets a folder
/// beside that store, <c>jobs/&lt;id&gt;</c>, and its job file is rewritten to write there and to record its runs in
/// that store: nothing is shared with the server on disk, and checkpoints and models travel through the object store.
/// </summary>
internal sealed class NatsWorkFolder(string? storePath)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes <paramref name="job"/>'s file where this worker runs it; returns its path (its folder is the job's folder).</summary>
    /// <exception cref="InvalidDataException">The job's id or document cannot be used here.</exception>
    public async Task<string> JobFileAsync(NatsJob job)
    {
        if (storePath is null)
        {
            if (!File.Exists(job.JobFile))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(job.JobFile)!);
                await File.WriteAllTextAsync(job.JobFile, job.Document).ConfigureAwait(false);
            }
            return job.JobFile;
        }
        // The id comes off the network and becomes a folder name.
        if (PathSegment.Problem(job.Id) is { } problem)
        {
            throw new InvalidDataException($"job id {problem}");
        }
        string store = Path.GetFullPath(storePath);
        string folder = Path.Combine(Path.GetDirectoryName(store)!, "jobs", job.Id);
        JsonObject document = JsonNode.Parse(job.Document) as JsonObject ?? throw new InvalidDataException($"job {job.Id}: its document is not a JSON object");
        JsonObject trainer = document["trainer"] as JsonObject ?? [];
        trainer["default_root_dir"] = folder;
        document["trainer"] = trainer;
        if (document["loggers"] is JsonObject loggers && loggers["sqlite"] is JsonObject sqlite)
        {
            sqlite["path"] = store;
        }
        Directory.CreateDirectory(folder);
        string file = Path.Combine(folder, "job.json");
        await File.WriteAllTextAsync(file, document.ToJsonString(Indented)).ConfigureAwait(false);
        return file;
    }
}
