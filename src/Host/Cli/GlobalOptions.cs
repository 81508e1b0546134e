using System.CommandLine;
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
        Description = $"A plugin folder, or a folder of plugin folders; repeatable. Default: 'plugins' beside the executable, ${PluginsVariable}, then artifacts/plugins of a source build.",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary><c>--verbose</c>.</summary>
    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Log what the host does (plugin loading, bus) to standard error.",
        Recursive = true,
    };

    /// <summary><c>--json</c>, added to the commands that report results.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Write the result as JSON to standard output." };

    /// <summary>The host options the parsed command line asks for.</summary>
    public ConduitHostOptions ToHostOptions(ParseResult parse)
    {
        var options = new ConduitHostOptions
        {
            MinimumLogLevel = parse.GetValue(Verbose) ? LogLevel.Debug : LogLevel.Warning,
        };
        string[] explicitRoots = parse.GetValue(Plugins) ?? [];
        foreach (string root in explicitRoots)
        {
            if (!Directory.Exists(root))
            {
                throw new CommandException($"plugin folder '{root}' (--plugins) does not exist", ExitCodes.Usage);
            }
            options.Plugins.Roots.Add(root);
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
        return options;
    }
}
