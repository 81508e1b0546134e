namespace Conduit.Host.Data;

/// <summary>Whether a job's data is streamed from its source or loaded into memory (<c>data.streaming</c>).</summary>
public enum StreamingMode
{
    /// <summary>Load when the features fit in <c>in_memory_limit_mb</c>, stream otherwise.</summary>
    Auto,

    /// <summary>Always stream: memory stays bounded whatever the data's size.</summary>
    Always,

    /// <summary>Always load into memory (exact stratified splits).</summary>
    Never,
}
