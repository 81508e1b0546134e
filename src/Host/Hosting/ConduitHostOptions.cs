using Conduit.Host.Plugins;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Conduit.Host;

/// <summary>How to start a <see cref="ConduitHost"/>.</summary>
public sealed class ConduitHostOptions
{
    /// <summary>Where plugins are and which to leave disabled.</summary>
    public PluginLoadOptions Plugins { get; } = new();

    /// <summary>The host configuration (job file, overrides, environment).</summary>
    public IConfiguration Configuration { get; set; } = new ConfigurationBuilder().Build();

    /// <summary>What a job may take of the machine (<c>--max-job-memory-mb</c>).</summary>
    public Jobs.JobLimits Limits { get; set; } = Jobs.JobLimits.Default;

    /// <summary>The least severe log level written to standard error.</summary>
    public LogLevel MinimumLogLevel { get; set; } = LogLevel.Warning;

    /// <summary>Adds host services (or replaces defaults) before plugins register theirs.</summary>
    public Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? ConfigureServices { get; set; }
}
