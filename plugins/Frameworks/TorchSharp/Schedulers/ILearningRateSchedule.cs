namespace Conduit.Frameworks.TorchSharp.Schedulers;

/// <summary>
/// Sets the optimizer's learning rates as training advances. The schedules are written here rather than taken from
/// TorchSharp's <c>lr_scheduler</c> classes because those cannot save and restore their state, and exact resume needs it.
/// </summary>
internal interface ILearningRateSchedule
{
    /// <summary>The schedule's name (<c>optimizer.scheduler.type</c>), recorded in saved state.</summary>
    string Name { get; }

    /// <summary>The optimizer has taken a step.</summary>
    void OptimizerStepped();

    /// <summary>Epoch <paramref name="epoch"/> (from 0) has ended with <paramref name="metrics"/>.</summary>
    void EpochEnded(int epoch, IReadOnlyDictionary<string, double> metrics);

    /// <summary>Writes the schedule's own state (the learning rates themselves travel with the optimizer).</summary>
    void Save(BinaryWriter writer);

    /// <summary>Restores what <see cref="Save"/> wrote.</summary>
    void Load(BinaryReader reader);
}
