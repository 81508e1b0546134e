using System.Globalization;
using Conduit.Configuration;
using Conduit.Host.Jobs;

namespace Conduit.Host.Tracking;

/// <summary>
/// Lightning's logger layout, <c>&lt;save_dir&gt;/&lt;name&gt;/version_&lt;n&gt;/</c>, with the run's id kept in the
/// folder, so a resumed run writes to the folder it started in and loggers of one run share it.
/// </summary>
internal static class RunFolders
{
    /// <summary>The file in a version folder that names the run it belongs to.</summary>
    public const string RunIdFile = "conduit-run-id.txt";

    // The loggers of one run resolve their folders at once, on different threads: one at a time in this process, so
    // the second sees the first one's marker instead of a version folder not yet marked (and takes the next number).
    private static readonly Lock Gate = new();

    /// <summary>
    /// Where logger <paramref name="logger"/> writes for run <paramref name="runId"/>: <c>save_dir</c> (relative to the
    /// run's root directory) or the root directory itself, then <c>name</c> or the job's name, then the run's version.
    /// </summary>
    /// <param name="root">The run's root directory.</param>
    /// <param name="jobName">The job's name.</param>
    /// <param name="runId">The run.</param>
    /// <param name="settings">The logger's section, <c>loggers.&lt;logger&gt;</c>.</param>
    /// <exception cref="ArgumentException">The name is not one folder name.</exception>
    public static string For(string root, string jobName, string runId, SettingsReader settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string saveDir = settings.String("save_dir") is { } configured ? Path.GetFullPath(Path.Combine(root, configured)) : root;
        string name = settings.String("name", jobName);
        if (PathSegment.Problem(name) is { } problem)
        {
            throw new ArgumentException($"{settings.Key("name")}: {problem}");
        }
        return Resolve(Path.Combine(saveDir, name), runId);
    }

    /// <summary>The version folder of <paramref name="runId"/> under <paramref name="folder"/>, created as the next <c>version_n</c> if the run has none.</summary>
    public static string Resolve(string folder, string runId)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        lock (Gate)
        {
            return Claim(folder, runId);
        }
    }

    private static string Claim(string folder, string runId)
    {
        Directory.CreateDirectory(folder);
        int next = 0;
        foreach (string version in Directory.EnumerateDirectories(folder, "version_*"))
        {
            string marker = Path.Combine(version, RunIdFile);
            if (File.Exists(marker) && File.ReadAllText(marker).Trim() == runId)
            {
                return version;
            }
            if (int.TryParse(Path.GetFileName(version)["version_".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            {
                next = Math.Max(next, n + 1);
            }
        }
        // Claim the number by creating its marker exclusively: two runs starting at once get different versions.
        for (; ; next++)
        {
            string version = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"version_{next}"));
            Directory.CreateDirectory(version);
            try
            {
                using var marker = new FileStream(Path.Combine(version, RunIdFile), FileMode.CreateNew, FileAccess.Write);
                marker.Write(System.Text.Encoding.UTF8.GetBytes(runId));
                return version;
            }
            catch (IOException) when (File.Exists(Path.Combine(version, RunIdFile)))
            {
                if (File.ReadAllText(Path.Combine(version, RunIdFile)).Trim() == runId)
                {
                    return version; // another logger of this run claimed it a moment ago
                }
            }
        }
    }
}
