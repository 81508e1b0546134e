using System.Globalization;
using Conduit.Configuration;

namespace Conduit.DataSources.Synthetic;

/// <summary>What to generate.</summary>
internal enum GeneratorKind
{
    Classification,
    Regression,
    Image,
}

/// <summary>The keys of a job's <c>data</c> section the synthetic source reads; the host's own keys there are left alone.</summary>
internal sealed record SyntheticSettings(GeneratorKind Generator, long Rows, int Features, int Classes, IReadOnlyList<int> Shape, double Noise, int Informative, int Seed)
{
    /// <summary>The most feature values one example may have (64 MiB of floats).</summary>
    public const int MaxExampleValues = 1 << 24;

    /// <summary>The most values the class centroids or templates may hold together (512 MiB of floats).</summary>
    public const int MaxParameterValues = 1 << 27;

    /// <summary>The most classes.</summary>
    public const int MaxClasses = 100_000;

    private const string Generators = "classification, regression, image";

    /// <summary>Reads the settings, naming every bad key, its value and what is allowed.</summary>
    /// <exception cref="InvalidDataException">A setting is missing or not allowed (one line per problem).</exception>
    public static SyntheticSettings Read(SettingsReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        GeneratorKind generator = ReadGenerator(reader);
        long rows = ReadRows(reader);
        // Keys that do not apply to the generator (shape for tables, features for images, classes for regression)
        // are accepted and unused, so one job switches generators by one word.
        bool image = generator == GeneratorKind.Image;
        foreach (string unused in (string[])["features", "classes", "shape", "informative"])
        {
            reader.Exists(unused);
        }
        int features = image ? 1 : reader.Int("features", 20, 1, MaxExampleValues);
        int classes = generator == GeneratorKind.Regression ? 2 : reader.Int("classes", image ? 10 : 2, 2, MaxClasses);
        IReadOnlyList<int> shape = image ? ReadShape(reader) : [1, 28, 28];
        double defaultNoise = generator switch { GeneratorKind.Regression => 0.1, GeneratorKind.Image => 0.3, _ => 1.0 };
        double noise = reader.Double("noise", defaultNoise, SettingRange.NonNegative, allowed: "a number of at least 0 (the spread of the noise)");
        int informative = image ? 1 : reader.Int("informative", features, 1);
        if (informative > features)
        {
            reader.Problem("informative", $"'{informative}' is not allowed; expected at most data.features ({features})");
        }
        int seed = reader.Int("seed", 0);
        long exampleValues = image ? shape.Aggregate(1L, (n, d) => n * d) : features;
        if (generator != GeneratorKind.Regression && exampleValues <= MaxExampleValues && classes * exampleValues > MaxParameterValues)
        {
            reader.Problem("classes", $"'{classes}' is not allowed with {exampleValues} values per example; expected at most {MaxParameterValues / exampleValues} (the class means would hold classes × values floats, at most {MaxParameterValues})");
        }
        reader.RejectUnknown();
        reader.ThrowIfProblems();
        return new SyntheticSettings(generator, rows, features, classes, shape, noise, Math.Min(informative, features), seed);
    }

    private static GeneratorKind ReadGenerator(SettingsReader reader)
    {
        if (reader.String("generator") is null)
        {
            reader.Problem("generator", $"is missing; expected one of {Generators}");
            return GeneratorKind.Classification;
        }
        return reader.Choice("generator", "classification", "classification", "regression", "image") switch
        {
            "regression" => GeneratorKind.Regression,
            "image" => GeneratorKind.Image,
            _ => GeneratorKind.Classification,
        };
    }

    // The settings reader has no 64-bit integers, and rows may pass int.MaxValue.
    private static long ReadRows(SettingsReader reader)
    {
        string? text = reader.String("rows");
        if (text is null)
        {
            reader.Problem("rows", "is missing; expected the number of examples to generate, such as 10000");
            return 1;
        }
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long rows) || rows < 1)
        {
            reader.Problem("rows", $"'{text}' is not allowed; expected a whole number of examples of at least 1");
            return 1;
        }
        return rows;
    }

    private static IReadOnlyList<int> ReadShape(SettingsReader reader)
    {
        int problems = reader.Problems.Count;
        IReadOnlyList<int> shape = reader.IntList("shape", [1, 28, 28], min: 1);
        if (reader.Problems.Count > problems)
        {
            return [1, 28, 28];
        }
        string text = $"[{string.Join(", ", shape)}]";
        if (shape.Count != 3)
        {
            reader.Problem("shape", $"{text} is not allowed; expected three dimensions [C, H, W] of at least 1, such as [1, 28, 28]");
            return [1, 28, 28];
        }
        if (shape.Aggregate(1L, (n, d) => n * d) > MaxExampleValues)
        {
            reader.Problem("shape", $"{text} is not allowed; expected at most {MaxExampleValues} values per example (C × H × W)");
            return [1, 28, 28];
        }
        return shape;
    }
}
