using Conduit.Configuration;

namespace Conduit.Training;

/// <summary>
/// One run, as the plugins created for it see it. The host creates a dependency-injection scope per run (as
/// <c>ILoggerProvider</c> creates an <c>ILogger</c>): register experiment loggers and callbacks as scoped services
/// and take this in their constructor, so each run has its own instance, its own state and its own settings. A
/// callback that drives the trainer takes <see cref="ITrainerContext"/> too, from the same scope.
/// </summary>
public sealed class RunContext
{
    /// <summary>The run's id (stable across a resume).</summary>
    public required string RunId { get; init; }

    /// <summary>The job's name.</summary>
    public required string JobName { get; init; }

    /// <summary>The folder the job writes under (<c>trainer.default_root_dir</c>, resolved).</summary>
    public required string RootDirectory { get; init; }

    /// <summary>The job's settings: read a plugin's keys from its section, and a key nobody reads is refused as unknown.</summary>
    public required SettingsReader Settings { get; init; }

    /// <summary>
    /// The folder experiment logger <c>name</c> writes this run's files in, created:
    /// <c>&lt;loggers.name.save_dir&gt;/&lt;loggers.name.name or the job's name&gt;/version_&lt;n&gt;</c> (Lightning's layout), the same
    /// folder again when the run is resumed.
    /// </summary>
    public required Func<string, string> LoggerDirectory { get; init; }

    /// <summary>The settings section of experiment logger <paramref name="name"/>: <c>loggers.&lt;name&gt;</c>.</summary>
    public SettingsReader LoggerSettings(string name) => Settings.Section("loggers").Section(name);
}
