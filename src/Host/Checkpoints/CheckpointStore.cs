namespace Conduit.Host.Checkpoints;

/// <summary>Finds the checkpoint a <c>--resume</c> asks for, falling back from a damaged one to the newest intact one.</summary>
public static class CheckpointStore
{
    /// <summary>What was found, and which candidates were refused and why.</summary>
    public sealed record Found(string Path, CheckpointMetadata Metadata, byte[] State, IReadOnlyList<string> Refused);

    /// <summary>
    /// Resolves <paramref name="resume"/>: <c>last</c> (<c>last.ckpt</c>, else the newest checkpoint that reads
    /// intact), <c>best</c> (the best recorded by ModelCheckpoint, else as <c>last</c>), or a path.
    /// </summary>
    /// <exception cref="CheckpointCorruptException">A path that cannot be used, or no intact checkpoint in the folder.</exception>
    public static Found Resolve(string resume, string checkpointDirectory)
    {
        ArgumentNullException.ThrowIfNull(resume);
        if (resume is not ("last" or "best"))
        {
            var (metadata, state) = CheckpointFile.Read(resume);
            return new Found(Path.GetFullPath(resume), metadata, state, []);
        }
        var candidates = Directory.Exists(checkpointDirectory)
            ? Directory.EnumerateFiles(checkpointDirectory, "*" + CheckpointFile.Extension)
                .Select(p => new FileInfo(p))
                .OrderByDescending(f => f.Name == "last" + CheckpointFile.Extension)
                .ThenByDescending(f => f.LastWriteTimeUtc)
                .Select(f => f.FullName)
                .ToList()
            : [];
        var refused = new List<string>();
        Found? newest = null;
        foreach (string candidate in candidates)
        {
            try
            {
                var (metadata, state) = CheckpointFile.Read(candidate);
                newest = new Found(candidate, metadata, state, refused);
                break;
            }
            catch (CheckpointCorruptException e)
            {
                refused.Add(e.Message);
            }
        }
        if (newest is null)
        {
            string why = refused.Count == 0 ? "it holds no checkpoint" : $"no checkpoint in it is intact ({string.Join("; ", refused)})";
            throw new CheckpointCorruptException(checkpointDirectory, $"--resume {resume}: {why}");
        }
        if (resume == "best" && newest.Metadata.Callbacks.TryGetValue("model_checkpoint", out string? best)
            && System.Text.Json.JsonSerializer.Deserialize<List<BestEntry>>(best) is [var top, ..] && File.Exists(top.Path))
        {
            try
            {
                var (metadata, state) = CheckpointFile.Read(top.Path);
                return new Found(top.Path, metadata, state, refused);
            }
            catch (CheckpointCorruptException e)
            {
                refused.Add(e.Message);
            }
        }
        return newest;
    }

    private sealed record BestEntry(string Path, double Score);
}
