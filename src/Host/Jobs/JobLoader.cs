using Conduit.Configuration;
using Microsoft.Extensions.Configuration;

namespace Conduit.Host.Jobs;

/// <summary>
/// Loads a job file (JSON or YAML) with Microsoft.Extensions.Configuration: the file, then environment variables
/// (<c>CONDUIT_trainer__max_epochs=3</c>), then <c>--set trainer.max_epochs=3</c> overrides, each over the last.
/// </summary>
public static class JobLoader
{
    /// <summary>The prefix of environment variables that override job settings.</summary>
    public const string EnvironmentPrefix = "CONDUIT_";

    /// <summary>The top-level sections of a job.</summary>
    public static string[] Sections { get; } = ["name", "data", "model", "optimizer", "trainer", "callbacks", "loggers", "export", "inference", "plugins"];

    // CONDUIT_trainer__max_epochs=3 overrides a job setting; CONDUIT_PLUGINS, CONDUIT_STORE and CONDUIT_API_KEY
    // configure the host and are not job keys, so only variables naming a job section are taken.
    private static Dictionary<string, string?> JobEnvironment()
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            string name = (string)variable.Key;
            if (!name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            string key = name[EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal);
            string section = key.Split(':')[0];
            if (Sections.Contains(section, StringComparer.OrdinalIgnoreCase) && (key.Contains(':', StringComparison.Ordinal) || string.Equals(section, "name", StringComparison.OrdinalIgnoreCase)))
            {
                settings[key] = (string?)variable.Value;
            }
        }
        return settings;
    }

    /// <summary>Loads and validates the job at <paramref name="path"/>.</summary>
    /// <exception cref="JobValidationException">The file is missing or malformed, or a setting is not allowed.</exception>
    public static JobDefinition Load(string path, IEnumerable<string>? overrides = null)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new JobValidationException(path, ["the job file does not exist"]);
        }
        var problems = new List<string>();
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (string assignment in overrides ?? [])
        {
            int equals = assignment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                problems.Add($"--set '{assignment}': expected key=value, such as trainer.max_epochs=3");
                continue;
            }
            settings[assignment[..equals].Trim().Replace('.', ':')] = assignment[(equals + 1)..].Trim();
        }
        if (problems.Count > 0)
        {
            throw new JobValidationException(path, problems);
        }

        var builder = new ConfigurationBuilder().SetBasePath(Path.GetDirectoryName(full)!);
        string extension = Path.GetExtension(full).ToLowerInvariant();
        IConfiguration configuration;
        try
        {
            (extension is ".yaml" or ".yml" ? builder.AddYamlFile(full, optional: false) : builder.AddJsonFile(full, optional: false))
                .AddInMemoryCollection(JobEnvironment())
                .AddInMemoryCollection(settings);
            configuration = builder.Build();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or System.Text.Json.JsonException || e.GetType().Name.Contains("Yaml", StringComparison.Ordinal))
        {
            throw new JobValidationException(path, [$"not valid {(extension is ".yaml" or ".yml" ? "YAML" : "JSON")}: {(e.InnerException ?? e).Message.ReplaceLineEndings(" ")}"]);
        }

        var reader = new SettingsReader(configuration);
        string name = reader.String("name") ?? Path.GetFileName(full).Split('.')[0];
        if (PathSegment.Problem(name) is { } nameProblem)
        {
            reader.Problem("name", nameProblem);
        }
        TrainerSettings trainer = TrainerSettings.Read(reader.Section("trainer"));
        if (!reader.Exists("model"))
        {
            reader.Problem("model", "is missing; expected a model section such as { \"type\": \"mlp\", \"hidden\": [128] }");
        }
        if (!reader.Exists("data"))
        {
            reader.Problem("data", "is missing; expected a data section such as { \"source\": \"csv\", \"path\": \"data/digits.csv\", \"label\": \"label\" }");
        }
        // The sections' own keys are checked by whoever reads them when the job is prepared; here, the sections and the trainer.
        foreach (string section in Sections.Where(s => s is not ("name" or "trainer")))
        {
            reader.Raw(section);
        }
        reader.RejectUnknown();
        if (reader.Problems.Count > 0)
        {
            throw new JobValidationException(path, reader.Problems);
        }
        return new JobDefinition(full, name, configuration, trainer);
    }
}
