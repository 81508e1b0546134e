using Microsoft.Extensions.Configuration;

namespace Conduit.Host.Jobs;

/// <summary>A loaded, validated job: the layered configuration and the settings the host itself interprets.</summary>
/// <param name="Source">The job file's full path.</param>
/// <param name="Name">The job's name (the <c>name</c> key, else the file name without <c>.job.json</c>).</param>
/// <param name="Configuration">The resolved configuration: file, then environment, then <c>--set</c> overrides.</param>
/// <param name="Trainer">The trainer flags.</param>
public sealed record JobDefinition(string Source, string Name, IConfiguration Configuration, TrainerSettings Trainer)
{
    /// <summary>The folder relative paths in the job are resolved against.</summary>
    public string Directory => Path.GetDirectoryName(Source)!;

    /// <summary>Resolves <paramref name="path"/> against the job's folder.</summary>
    public string ResolvePath(string path) => Path.GetFullPath(Path.Combine(Directory, path));

    /// <summary>The <c>data</c> section.</summary>
    public IConfigurationSection Data => Configuration.GetSection("data");

    /// <summary>The <c>model</c> section.</summary>
    public IConfigurationSection Model => Configuration.GetSection("model");

    /// <summary>The <c>optimizer</c> section.</summary>
    public IConfigurationSection Optimizer => Configuration.GetSection("optimizer");

    /// <summary>The <c>callbacks</c> section.</summary>
    public IConfigurationSection Callbacks => Configuration.GetSection("callbacks");

    /// <summary>Every setting as <c>section.key = value</c>, in key order: the run's hyperparameters.</summary>
    public IReadOnlyDictionary<string, string> Flatten() =>
        Configuration.AsEnumerable()
            .Where(kv => kv.Value is not null)
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .ToDictionary(kv => kv.Key.Replace(':', '.'), kv => kv.Value!, StringComparer.Ordinal);
}
