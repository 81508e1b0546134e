using Conduit.Configuration;
using Microsoft.Extensions.Configuration;

namespace Conduit.DataSources.Synthetic;

/// <summary>What to generate.</summary>
internal enum GeneratorKind
{
    Classification,
    Regression,
    Image,
}

/// <summary>The keys of a job's <c>data</c> section the synthetic source reads.</summary>
internal sealed record SyntheticSettings(GeneratorKind Generator, long Rows, int Features, int Classes, IReadOnlyList<int> Shape, double Noise, int Informative, int Seed)
{
    /// <summary>Reads the settings, naming every bad key, its value and what is allowed.</summary>
    /// <exception cref="InvalidDataException">A setting is missing or not allowed (one line per problem).</exception>
    public static SyntheticSettings Read(IConfiguration data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var reader = new SettingsReader(data, "data");
        string? generatorText = reader.String("generator");
        if (generatorText is null)
        {
            reader.Problem("generator", "is missing; expected one of classification, regression, image");
        }
        var generator = reader.Choice("generator", "classification", "classification", "regression", "image") switch
        {
            "regression" => GeneratorKind.Regression,
            "image" => GeneratorKind.Image,
            _ => GeneratorKind.Classification,
        };
        long rows = ReadRows(reader);
        int features = reader.Int("features", 20, 1);
        int classes = reader.Int("classes", generator == GeneratorKind.Image ? 10 : 2, 2, 100_000);
        int problems = reader.Problems.Count;
        IReadOnlyList<int> shape = reader.IntList("shape", [1, 28, 28], min: 1);
        if (generator == GeneratorKind.Image && shape.Count != 3 && reader.Problems.Count == problems)
        {
            reader.Problem("shape", $"[{string.Join(", ", shape)}] is not allowed; expected three dimensions [C, H, W] of at least 1, such as [1, 28, 28]");
        }
        double defaultNoise = generator switch { GeneratorKind.Regression => 0.1, GeneratorKind.Image => 0.3, _ => 1.0 };
        double noise = reader.Double("noise", defaultNoise, 0, allowed: "a number of at least 0 (the spread of the noise)");
        int informative = reader.Int("informative", features, 1);
        if (informative > features)
        {
            reader.Problem("informative", $"'{informative}' is not allowed; expected at most data.features ({features})");
        }
        int seed = reader.Int("seed", 0);
        reader.ThrowIfProblems();
        return new SyntheticSettings(generator, rows, features, classes, shape, noise, Math.Min(informative, features), seed);
    }

    private static long ReadRows(SettingsReader reader)
    {
        string? text = reader.String("rows");
        if (text is null)
        {
            reader.Problem("rows", "is missing; expected the number of examples to generate, such as 10000");
            return 1;
        }
        if (!long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long rows) || rows < 1)
        {
            reader.Problem("rows", $"'{text}' is not allowed; expected a whole number of examples of at least 1");
            return 1;
        }
        return rows;
    }
}
