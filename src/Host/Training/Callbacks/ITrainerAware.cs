namespace Conduit.Host.Training.Callbacks;

/// <summary>A built-in callback that needs the trainer itself (to write checkpoints, read learning rates).</summary>
internal interface ITrainerAware
{
    /// <summary>Called once by the trainer before the run starts.</summary>
    void Attach(Trainer trainer, IServiceProvider services);
}
