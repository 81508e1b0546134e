namespace Conduit.Host.Plugins;

/// <summary>The kinds of plugin the host knows; a manifest naming another kind is refused.</summary>
public static class PluginKinds
{
    /// <summary>Hardware a job can run on (<see cref="Accelerators.IAccelerator"/>).</summary>
    public const string Accelerator = "accelerator";

    /// <summary>A source of training or inference data (<see cref="Data.IDataSource"/>).</summary>
    public const string DataSource = "datasource";

    /// <summary>A framework adapter that trains, infers or exports (<see cref="Frameworks.ITrainingFramework"/> or <see cref="Frameworks.IInferenceFramework"/>).</summary>
    public const string Framework = "framework";

    /// <summary>An experiment logger (<see cref="Tracking.IExperimentLogger"/>) or any other bus listener.</summary>
    public const string Logger = "logger";

    /// <summary>A trainer callback (<see cref="Training.ITrainerCallback"/>).</summary>
    public const string Callback = "callback";

    /// <summary>Model architectures added to a framework adapter.</summary>
    public const string Model = "model";

    /// <summary>Anything else that takes part through the bus or the service container.</summary>
    public const string Tool = "tool";

    /// <summary>Every known kind, in the order the host lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Accelerator, DataSource, Framework, Logger, Callback, Model, Tool];

    /// <summary>Whether <paramref name="kind"/> is one of the known kinds (ordinal, case-sensitive).</summary>
    public static bool IsKnown(string? kind) => kind is not null && All.Contains(kind, StringComparer.Ordinal);
}
