using Microsoft.Extensions.Configuration;

namespace Conduit.Frameworks;

/// <summary>How to run a model for inference.</summary>
/// <param name="Device">The device: <c>cpu</c>, <c>cuda:0</c>, ...</param>
public sealed record InferenceOptions(string Device = "cpu")
{
    /// <summary>Intra-op threads; 0 for the framework's default.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// The framework's own settings (a job's <c>inference</c> section: <c>optimization_level</c>, ...); null for its
    /// defaults. A framework reports keys it does not know.
    /// </summary>
    public IConfiguration? Settings { get; init; }
}
