namespace Conduit.Frameworks.TorchSharp.Training;

/// <summary>What saved state says about the session that wrote it, checked before anything is loaded.</summary>
/// <param name="Model">The model's signature (<see cref="Models.ModelSpec.Signature"/>).</param>
/// <param name="Optimizer">The optimizer's name.</param>
/// <param name="Schedule">The learning-rate schedule's name.</param>
internal sealed record SessionStateHeader(string Model, string Optimizer, string Schedule);
