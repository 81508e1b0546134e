using System.Globalization;
using System.Runtime.CompilerServices;
using Conduit.Data;

namespace Conduit.DataSources.Synthetic;

/// <summary>Examples generated block by block from fixed, seeded parameters (centroids, weights or templates).</summary>
internal sealed class SyntheticDataset : StreamingDataset
{
    private const int BlockRows = 1024;

    // The parameters' own random stream: an index no example has.
    private const long ParameterStream = -1;

    private readonly SyntheticSettings _settings;
    private readonly int _size;

    public SyntheticDataset(SyntheticSettings settings)
        : base(SchemaOf(settings), settings.Rows)
    {
        _settings = settings;
        _size = checked((int)Schema.FeatureShape.ElementCount);
        var random = new ExampleRandom(settings.Seed, ParameterStream);
        switch (settings.Generator)
        {
            case GeneratorKind.Classification:
                Centroids = new float[settings.Classes * _size];
                for (int c = 0; c < settings.Classes; c++)
                {
                    for (int j = 0; j < settings.Informative; j++)
                    {
                        Centroids[(c * _size) + j] = (float)(3 * random.NextNormal());
                    }
                }
                break;
            case GeneratorKind.Regression:
                Weights = new float[_size];
                for (int j = 0; j < settings.Informative; j++)
                {
                    Weights[j] = (float)random.NextNormal();
                }
                Bias = (float)random.NextNormal();
                break;
            default:
                Centroids = Templates(settings, _size, ref random);
                break;
        }
    }

    /// <summary>Each class's mean example (classification) or template image (image), row-major by class.</summary>
    internal float[] Centroids { get; } = [];

    /// <summary>The regression weights.</summary>
    internal float[] Weights { get; } = [];

    /// <summary>The regression bias.</summary>
    internal float Bias { get; }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<DataBatch> ReadExamplesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var block = new BatchBuilder(Schema, (int)Math.Min(BlockRows, _settings.Rows));
        var target = new float[1];
        for (long i = 0; i < _settings.Rows; i++)
        {
            long label = Generate(i, block.NextFeatures(), out target[0]);
            block.Commit(label, target);
            if (block.IsFull)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return block.ToBatch();
                block.Clear();
            }
        }
        if (block.Count > 0)
        {
            yield return block.ToBatch();
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>Writes example <paramref name="index"/>'s features; returns its class (or sets its regression target).</summary>
    internal long Generate(long index, Span<float> features, out float target)
    {
        var random = new ExampleRandom(_settings.Seed, index);
        float noise = (float)_settings.Noise;
        target = 0;
        switch (_settings.Generator)
        {
            case GeneratorKind.Regression:
            {
                double y = Bias;
                for (int j = 0; j < features.Length; j++)
                {
                    features[j] = (float)random.NextNormal();
                    y += Weights[j] * features[j];
                }
                target = (float)(y + (noise * random.NextNormal()));
                return 0;
            }
            case GeneratorKind.Classification:
            {
                long label = (long)(random.NextBits() % (ulong)_settings.Classes);
                ReadOnlySpan<float> center = Centroids.AsSpan((int)label * _size, _size);
                for (int j = 0; j < features.Length; j++)
                {
                    features[j] = center[j] + (noise * (float)random.NextNormal());
                }
                return label;
            }
            default:
            {
                long label = (long)(random.NextBits() % (ulong)_settings.Classes);
                ReadOnlySpan<float> template = Centroids.AsSpan((int)label * _size, _size);
                for (int j = 0; j < features.Length; j++)
                {
                    features[j] = Math.Clamp(template[j] + (noise * (float)random.NextNormal()), 0f, 1f);
                }
                return label;
            }
        }
    }

    private static DataSchema SchemaOf(SyntheticSettings settings)
    {
        TensorShape shape = settings.Generator == GeneratorKind.Image ? new TensorShape([.. settings.Shape]) : new TensorShape(settings.Features);
        string[] names = settings.Generator == GeneratorKind.Image ? [] : [.. Enumerable.Range(0, settings.Features).Select(j => string.Create(CultureInfo.InvariantCulture, $"f{j}"))];
        return settings.Generator == GeneratorKind.Regression
            ? new DataSchema(shape, names, TargetKind.Regression, [])
            : new DataSchema(shape, names, TargetKind.Classification, [.. Enumerable.Range(0, settings.Classes).Select(c => string.Create(CultureInfo.InvariantCulture, $"class_{c}"))]);
    }

    // Per class, three soft blobs at seeded places in every channel: smooth images a small cnn tells apart.
    private static float[] Templates(SyntheticSettings settings, int size, ref ExampleRandom random)
    {
        int channels = settings.Shape[0];
        int height = settings.Shape[1];
        int width = settings.Shape[2];
        double sigma = Math.Max(1, Math.Min(height, width) / 6.0);
        var templates = new float[settings.Classes * size];
        for (int c = 0; c < settings.Classes; c++)
        {
            Span<float> image = templates.AsSpan(c * size, size);
            for (int blob = 0; blob < 3; blob++)
            {
                double cy = random.NextUniform() * height;
                double cx = random.NextUniform() * width;
                int channel = (int)(random.NextBits() % (ulong)channels);
                for (int y = 0; y < height; y++)
                {
                    for (int x = 0; x < width; x++)
                    {
                        double d2 = ((y - cy) * (y - cy)) + ((x - cx) * (x - cx));
                        int at = (channel * height * width) + (y * width) + x;
                        image[at] = Math.Min(1f, image[at] + (float)Math.Exp(-d2 / (2 * sigma * sigma)));
                    }
                }
            }
        }
        return templates;
    }
}
