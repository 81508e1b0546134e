namespace Conduit.Host.Checkpoints;

/// <summary>A checkpoint file that is truncated, altered or not a checkpoint; the message names the file and what is wrong.</summary>
public sealed class CheckpointCorruptException(string path, string problem)
    : IOException($"checkpoint '{path}' cannot be used: {problem}")
{
    /// <summary>The checkpoint's path.</summary>
    public string Path { get; } = path;
}
