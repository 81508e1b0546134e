using Conduit.Configuration;
using Conduit.Tracking;

namespace Conduit.Host.Tracking;

/// <summary>
/// Which experiment loggers a job uses: its <c>loggers</c> section names them as a list (<c>["csv", "tensorboard"]</c>)
/// or as sections with settings (<c>{ "csv": { "save_dir": "logs" } }</c>); a logger reads its settings from the run's
/// hyperparameters (<c>loggers:csv:save_dir</c>).
/// </summary>
internal static class LoggerSelection
{
    /// <summary>The loggers <paramref name="reader"/>'s <c>loggers</c> section names, checked against those installed.</summary>
    public static List<IExperimentLogger> Select(SettingsReader reader, IReadOnlyList<IExperimentLogger> installed)
    {
        var selected = new List<IExperimentLogger>();
        foreach (var child in reader.Raw("loggers").GetChildren())
        {
            bool listed = int.TryParse(child.Key, out _);
            string? name = listed ? child.Value?.Trim() : child.Key;
            if (!listed && child.Value is { } flag && bool.TryParse(flag, out bool on) && !on)
            {
                continue; // "csv": false
            }
            if (string.IsNullOrEmpty(name))
            {
                continue;
            }
            IExperimentLogger? logger = installed.FirstOrDefault(l => string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase));
            if (logger is null)
            {
                reader.Problem($"loggers.{child.Key}", $"'{name}' is not installed; expected one of {string.Join(", ", installed.Select(l => l.Name).DefaultIfEmpty("none"))}");
            }
            else if (!selected.Contains(logger))
            {
                selected.Add(logger);
            }
        }
        return selected;
    }
}
