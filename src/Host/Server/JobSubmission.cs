using System.Text.Json.Nodes;
using Conduit.Host.Jobs;
using Conduit.Host.Training;

namespace Conduit.Host.Server;

/// <summary>
/// Accepts a job document: checks it (paths and every setting that can be checked before the data is read), writes
/// it under the job's folder, stores and queues it. What <c>POST /api/jobs</c> and a sweep's trials both go through.
/// </summary>
public sealed class JobSubmission(ServerJobStore store, JobDocuments documents, JobWorkers workers, ConduitHost host)
{
    /// <summary>A new job id: the time, then a random suffix.</summary>
    public static string NewId() => $"{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>Checks, stores and queues <paramref name="document"/> as job <paramref name="id"/> (a new id when null).</summary>
    /// <exception cref="JobValidationException">The job is not allowed; every problem names its key (the source is <c>job</c>).</exception>
    public ServerJob Submit(JsonObject document, string? id = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        id ??= NewId();
        JobDefinition job;
        try
        {
            job = documents.Write(id, document);
            new JobRunner(host).Validate(job);
        }
        catch (JobValidationException e)
        {
            TryDelete(documents.Folder(id));
            throw new JobValidationException("job", [.. e.Problems.Select(p => p.Replace(documents.JobFile(id), "job", StringComparison.Ordinal))]);
        }
        var accepted = new ServerJob(id, job.Name, ServerJobStatus.Queued, DateTimeOffset.UtcNow);
        try
        {
            store.Add(accepted);
        }
        catch
        {
            // Not accepted (the store is locked or gone: 503): nothing of it stays behind.
            TryDelete(documents.Folder(id));
            throw;
        }
        workers.Enqueue(accepted);
        return accepted;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // Left for a later clean-up; the job was not accepted either way.
        }
    }
}
