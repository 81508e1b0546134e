using System.Globalization;
using Conduit.Configuration;

namespace Conduit.Host.Data;

/// <summary>
/// The keys of a job's <c>data</c> section that the host interprets: which source, how to batch, how to split and
/// how to normalize. The section's other keys (<c>path</c>, <c>label</c>, ...) belong to the data source.
/// </summary>
public sealed record DataSettings
{
    /// <summary><c>source</c>: the data source's name (<c>csv</c>, ...).</summary>
    public required string Source { get; init; }

    /// <summary><c>batch_size</c>: examples per batch.</summary>
    public int BatchSize { get; init; }

    /// <summary><c>shuffle</c>: shuffle the training data every epoch.</summary>
    public bool Shuffle { get; init; }

    /// <summary><c>drop_last</c>: drop a last training batch smaller than <see cref="BatchSize"/>.</summary>
    public bool DropLast { get; init; }

    /// <summary>
    /// <c>split</c>: fractions held out for validation and test; a fraction is 0 here when its
    /// <see cref="ValidationPath"/> or <see cref="TestPath"/> replaces it.
    /// </summary>
    public required SplitSettings Split { get; init; }

    /// <summary><c>normalize</c>: the feature scaling fitted on the training split.</summary>
    public NormalizationKind Normalize { get; init; }

    /// <summary><c>validation_path</c>: a separate validation file (as the job wrote it); null to split one off.</summary>
    public string? ValidationPath { get; init; }

    /// <summary><c>test_path</c>: a separate test file (as the job wrote it); null to split one off.</summary>
    public string? TestPath { get; init; }

    /// <summary><c>streaming</c>: whether to stream the data from its source or load it into memory.</summary>
    public StreamingMode Streaming { get; init; }

    /// <summary><c>in_memory_limit_mb</c>: with <c>streaming: auto</c>, the largest dataset (features as 32-bit floats) loaded into memory.</summary>
    public int InMemoryLimitMb { get; init; }

    /// <summary><c>shuffle_buffer</c>: how many examples a streamed dataset's shuffle holds.</summary>
    public int ShuffleBuffer { get; init; }

    /// <summary>
    /// <c>prefetch</c>: how many batches are read ahead on a background thread (0: none): streamed batches, and batches
    /// in memory large enough that gathering them costs more than handing them over. Given back in groups of half.
    /// </summary>
    public int Prefetch { get; init; }

    /// <summary>Reads the <c>data</c> section; problems are added to <paramref name="data"/>'s list.</summary>
    /// <param name="data">A reader of the job's <c>data</c> section.</param>
    /// <param name="defaultSeed">The split's seed when <c>split.seed</c> is absent (the trainer's seed).</param>
    public static DataSettings Read(SettingsReader data, int defaultSeed = 42)
    {
        ArgumentNullException.ThrowIfNull(data);
        var defaults = new SplitSettings(Seed: defaultSeed);
        string source = data.RequiredString("source", "the name of a data source plugin, such as csv");
        string? validationPath = data.String("validation_path");
        string? testPath = data.String("test_path");

        SettingsReader split = data.Section("split");
        if (split.Value is { } scalar)
        {
            data.Problem("split", $"'{scalar}' is not allowed; expected a section such as {{ \"validation\": 0.1, \"test\": 0.2, \"seed\": 42, \"stratify\": true }}");
        }
        double validation = Fraction(split, "validation", defaults.Validation, validationPath, data.Key("validation_path"));
        double test = Fraction(split, "test", defaults.Test, testPath, data.Key("test_path"));
        if (validation + test >= 1)
        {
            data.Problem("split", $"validation {Format(validation)} and test {Format(test)} add up to {Format(validation + test)}, which leaves nothing to train on; expected fractions whose sum is below 1");
        }

        string normalize = data.Choice("normalize", "none", "none", "standardize", "minmax");
        return new DataSettings
        {
            Source = source,
            BatchSize = data.Int("batch_size", 32, 1),
            Shuffle = data.Bool("shuffle", true),
            DropLast = data.Bool("drop_last", false),
            Split = new SplitSettings(validation, test, split.Int("seed", defaultSeed, 0), split.Bool("stratify", defaults.Stratify)),
            Normalize = normalize switch
            {
                "standardize" => NormalizationKind.Standardize,
                "minmax" => NormalizationKind.MinMax,
                _ => NormalizationKind.None,
            },
            ValidationPath = validationPath,
            TestPath = testPath,
            Streaming = data.Choice("streaming", "auto", "auto", "true", "false") switch
            {
                "true" => StreamingMode.Always,
                "false" => StreamingMode.Never,
                _ => StreamingMode.Auto,
            },
            InMemoryLimitMb = data.Int("in_memory_limit_mb", 512, 0),
            ShuffleBuffer = data.Int("shuffle_buffer", StreamingDataset.DefaultShuffleBufferSize, 1),
            Prefetch = data.Int("prefetch", 8, 0, 64),
        };
    }

    // A fraction of the whole dataset in [0, 1); 0 when a separate file replaces that part.
    private static double Fraction(SettingsReader split, string key, double fallback, string? replacingPath, string pathKey)
    {
        double value = split.Double(key, fallback, new SettingRange(0, true, 1, false), allowed: "a fraction of the data from 0 up to (not including) 1, such as 0.2");
        if (replacingPath is null)
        {
            return value;
        }
        if (split.Exists(key) && value > 0)
        {
            split.Problem(key, $"'{split.String(key)}' cannot be used together with {pathKey}, which replaces this part of the split; expected one of them, or 0");
        }
        return 0;
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
