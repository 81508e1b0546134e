namespace Conduit.Host.Training;

/// <summary>Training failed; <see cref="Outcome"/> says where it stood (logged metrics and checkpoints stay valid).</summary>
public sealed class TrainingFailedException(string message, Exception inner, RunOutcome outcome) : Exception(message, inner)
{
    /// <summary>How the run ended.</summary>
    public RunOutcome Outcome { get; } = outcome;
}
