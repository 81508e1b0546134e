using Conduit.Data;
using Microsoft.Extensions.Configuration;

namespace Conduit.Frameworks;

/// <summary>What a framework needs to build a model and its optimizer.</summary>
/// <param name="Model">The job's <c>model</c> section (type, sizes, activation, ...).</param>
/// <param name="Optimization">The job's <c>optimizer</c> section (algorithm, learning rate, scheduler, loss, ...).</param>
/// <param name="Schema">The training data's schema: input shape, target kind, classes.</param>
/// <param name="Device">The device: <c>cpu</c>, <c>cuda:0</c>, ...</param>
/// <param name="Seed">The seed for weight initialisation and dropout.</param>
public sealed record TrainingSessionOptions(IConfiguration Model, IConfiguration Optimization, DataSchema Schema, string Device, int Seed)
{
    /// <summary>Intra-op threads the framework may use; 0 for its default.</summary>
    public int Threads { get; init; }

    /// <summary>Whether to use deterministic algorithms only (slower, bit-for-bit repeatable).</summary>
    public bool Deterministic { get; init; }
}
