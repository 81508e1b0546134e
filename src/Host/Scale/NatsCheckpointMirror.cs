using Conduit.Host.Checkpoints;
using NATS.Client.ObjectStore.Models;

namespace Conduit.Host.Scale;

/// <summary>
/// One attempt's checkpoints and exported model in the object store, seen from the worker running it: the store's
/// checkpoints are brought into the job's folder before a resume (the last attempt may have run on another machine),
/// each checkpoint goes up once it is durable, and the model at the end. Every write first checks the
/// <see cref="NatsAttemptFence"/>: once a newer attempt has started, this one writes nothing and is <see cref="Fenced"/>.
/// </summary>
internal sealed class NatsCheckpointMirror(NatsJobObjects objects, NatsAttemptFence fence, string jobId, int attempt, string jobFolder, string checkpointFolder)
{
    private readonly HashSet<string> _stored = new(StringComparer.Ordinal);

    /// <summary>Whether a newer attempt of the job has started: this one must write nothing more.</summary>
    public bool Fenced { get; private set; }

    /// <summary>
    /// Makes the job's checkpoint folder hold what the store holds (downloading only what differs), so a resume continues
    /// where the last attempt stopped, wherever it ran. Nothing changes when the store has no checkpoint of the job.
    /// </summary>
    /// <returns>How many files were downloaded.</returns>
    public async Task<int> RestoreAsync(CancellationToken cancellationToken)
    {
        string prefix = Key("");
        var stored = new List<ObjectMetadata>();
        await foreach (ObjectMetadata meta in objects.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            string file = NatsObjectKey.RelativePath(jobId, meta.Name)[Relative("").Length..];
            if (IsFileName(file))
            {
                stored.Add(meta);
                _stored.Add(file);
            }
        }
        if (stored.Count == 0)
        {
            return 0;
        }
        int downloaded = 0;
        foreach (ObjectMetadata meta in stored)
        {
            string file = NatsObjectKey.RelativePath(jobId, meta.Name)[Relative("").Length..];
            downloaded += await objects.DownloadAsync(meta, Path.Combine(checkpointFolder, file), cancellationToken).ConfigureAwait(false) ? 1 : 0;
        }
        // A checkpoint here that the store lacks is older than the store's (another machine went on): resume must not pick it.
        foreach (string local in Directory.EnumerateFiles(checkpointFolder, "*" + CheckpointFile.Extension))
        {
            if (!_stored.Contains(Path.GetFileName(local)))
            {
                File.Delete(local);
            }
        }
        return downloaded;
    }

    /// <summary>Uploads checkpoint <paramref name="fileName"/>, and removes from the store those ModelCheckpoint has deleted since.</summary>
    /// <returns>False when a newer attempt has started (nothing was written).</returns>
    public async Task<bool> UploadCheckpointAsync(string fileName, CancellationToken cancellationToken)
    {
        if (!IsFileName(fileName) || !await IsCurrentAsync(cancellationToken).ConfigureAwait(false))
        {
            return !Fenced;
        }
        try
        {
            await objects.PutAsync(Key(fileName), Path.Combine(checkpointFolder, fileName), attempt, cancellationToken).ConfigureAwait(false);
            _stored.Add(fileName);
        }
        catch (FileNotFoundException)
        {
            // Deleted already (a better checkpoint replaced it): nothing to keep.
        }
        foreach (string gone in _stored.Where(f => !File.Exists(Path.Combine(checkpointFolder, f))).ToList())
        {
            await objects.DeleteAsync(Key(gone), cancellationToken).ConfigureAwait(false);
            _stored.Remove(gone);
        }
        return true;
    }

    /// <summary>Uploads the exported model at <paramref name="modelPath"/> and the files beside it that belong to it (<c>model.onnx.json</c>).</summary>
    /// <returns>The model's path relative to the job's folder, as the server finds it in the store; null when fenced or outside the folder.</returns>
    public async Task<string?> UploadModelAsync(string modelPath, CancellationToken cancellationToken)
    {
        string relative = Path.GetRelativePath(jobFolder, modelPath);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) || !await IsCurrentAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        string name = Path.GetFileName(modelPath);
        foreach (string file in Directory.EnumerateFiles(Path.GetDirectoryName(modelPath)!, name + "*"))
        {
            await objects.PutAsync(NatsObjectKey.For(jobId, Path.GetRelativePath(jobFolder, file)), file, attempt, cancellationToken).ConfigureAwait(false);
        }
        return relative.Replace('\\', '/');
    }

    private async Task<bool> IsCurrentAsync(CancellationToken cancellationToken)
    {
        Fenced = Fenced || await fence.NewestAsync(jobId, cancellationToken).ConfigureAwait(false) > attempt;
        return !Fenced;
    }

    private string Relative(string file) => Path.Combine(Path.GetRelativePath(jobFolder, checkpointFolder), file).Replace('\\', '/') + (file.Length == 0 ? "/" : "");

    private string Key(string file) => NatsObjectKey.For(jobId, Relative(file));

    // A name from the store or an event becomes a path here: one file in the checkpoint folder, nothing else.
    private static bool IsFileName(string file) => file.Length > 0 && file is not ("." or "..") && file.IndexOfAny(['/', '\\']) < 0;
}
