using System.CommandLine;
using Conduit.Host.Jobs;
using Conduit.Host.Plugins;
using Microsoft.Extensions.Logging;

namespace Conduit.Host.Cli;

/// <summary>Options every command takes, and how they become <see cref="ConduitHostOptions"/>.</summary>
public sealed class GlobalOptions
{
    /// <summary>The environment variable that adds plugin folders (separated like PATH).</summary>
    public const string PluginsVariable = "CONDUIT_PLUGINS";

    /// <summary><c>--plugins DIR</c>, repeatable.</summary>
    public Option<string[]> Plugins { get; } = new("--plugins")
    {
        Description = $"A plugin folder, or a folder of plugin folders; repeatable (the first is where 'plugins install' installs). The plugins beside the executable always load; without --plugins also ${PluginsVariable}, {PluginDiscovery.UserFolder} and artifacts/plugins of a source build.",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary><c>--verbose</c>.</summary>
    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Log what the host does (plugin loading, bus) to standard error.",
        Recursive = true,
    };

    /// <summary><c>--locked</c>: load only plugins whose files match the lock file.</summary>
    public Option<bool> Locked { get; } = new("--locked")
    {
        Description = $"Load only plugins whose files match the lock file (written by 'conduit plugins lock'); others are refused.",
        Recursive = true,
    };

    /// <summary><c>--lock-file FILE</c>.</summary>
    public Option<string> LockFile { get; } = new("--lock-file")
    {
        Description = $"The plugin lock file (default: {PluginLock.FileName} in the current folder).",
        Recursive = true,
        DefaultValueFactory = _ => PluginLock.FileName,
    };

    /// <summary><c>--max-job-memory-mb</c>: the most memory one job's model may need.</summary>
    public Option<long?> MaxJobMemory { get; } = new("--max-job-memory-mb")
    {
        Description = "The most memory one job's model may need (weights, gradients, optimizer state, a batch's activations); a bigger one is refused before it starts, with the estimate. Default: 80% of this machine's memory.",
        Recursive = true,
    };

    /// <summary><c>--json</c>, added to the commands that report results.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Write the result as JSON to standard output." };

    /// <summary>The host options the parsed command line asks for.</summary>
    /// <param name="parse">The parsed command line.</param>
    /// <param name="readLock">Whether <c>--locked</c> reads the lock file (not when the command writes it).</param>
    public ConduitHostOptions ToHostOptions(ParseResult parse, bool readLock = true)
    {
        var options = new ConduitHostOptions
        {
            MinimumLogLevel = parse.GetValue(Verbose) ? LogLevel.Debug : LogLevel.Warning,
        };
        if (parse.GetValue(MaxJobMemory) is { } megabytes)
        {
            options.Limits = megabytes >= 1 ? new JobLimits(megabytes << 20)
                : throw new CommandException($"--max-job-memory-mb: {megabytes} is not allowed; expected 1 or more", ExitCodes.Usage);
        }
        string[] explicitRoots = parse.GetValue(Plugins) ?? [];
        foreach (string root in explicitRoots)
        {
            if (!Directory.Exists(root))
            {
                throw new CommandException($"plugin folder '{root}' (--plugins) does not exist", ExitCodes.Usage);
            }
            options.Plugins.Roots.Add(root);
        }
        if (explicitRoots.Length > 0 && PluginDiscovery.BundledRoot(AppContext.BaseDirectory) is { } bundled)
        {
            options.Plugins.Roots.Add(bundled); // the host's own plugins are part of it, whatever else is named
        }
        if (explicitRoots.Length == 0)
        {
            string? fromEnvironment = Environment.GetEnvironmentVariable(PluginsVariable);
            foreach (string root in (fromEnvironment ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                options.Plugins.Roots.Add(root);
            }
            foreach (string root in PluginDiscovery.DefaultRoots(AppContext.BaseDirectory))
            {
                options.Plugins.Roots.Add(root);
            }
        }
        if (readLock && parse.GetValue(Locked))
        {
            options.Plugins.Lock = ReadLock(parse.GetValue(LockFile)!);
        }
        return options;
    }

    /// <summary>Reads a lock file, as a usage error when it is missing or not a lock.</summary>
    public static PluginLock ReadLock(string path)
    {
        try
        {
            return PluginLock.Read(path);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
        {
            throw new CommandException($"--locked: {e.Message}", ExitCodes.Usage);
        }
    }
}
