using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using Conduit.Data;
using Conduit.DataSources.Common;

namespace Conduit.DataSources.Synthetic;

/// <summary>Examples generated block by block from fixed, seeded parameters (centroids, weights or templates).</summary>
internal sealed class SyntheticDataset : IDataset
{
    /// <summary>The most examples in a block.</summary>
    internal const int MaxBlockRows = 1024;

    // A block holds at most this many feature values (4 MiB), so wide examples come in smaller blocks.
    private const int MaxBlockValues = 1 << 20;

    // The parameters' own random stream: an index no example has.
    private const long ParameterStream = -1;

    // How far apart classification centroids are drawn (their spread on each informative feature).
    private const double CentroidSpread = 3;

    // How many soft blobs make up a class's template image.
    private const int BlobsPerClass = 3;

    private readonly SyntheticSettings _settings;
    private readonly int _size;

    public SyntheticDataset(SyntheticSettings settings)
    {
        Schema = SchemaOf(settings);
        _settings = settings;
        _size = checked((int)Schema.FeatureShape.ElementCount);
        BlockRows = (int)Math.Min(settings.Rows, Math.Clamp(MaxBlockValues / _size, 1, MaxBlockRows));
        var random = new ExampleRandom(settings.Seed, ParameterStream);
        switch (settings.Generator)
        {
            case GeneratorKind.Classification:
                Centroids = new float[settings.Classes * _size];
                for (int c = 0; c < settings.Classes; c++)
                {
                    for (int j = 0; j < settings.Informative; j++)
                    {
                        Centroids[(c * _size) + j] = (float)(CentroidSpread * random.NextNormal());
                    }
                }
                break;
            case GeneratorKind.Regression:
                Weights = new float[_size];
                for (int j = 0; j < settings.Informative; j++)
                {
                    Weights[j] = random.NextNormal();
                }
                Bias = random.NextNormal();
                break;
            default:
                Centroids = Templates(settings, _size, ref random);
                break;
        }
    }

    /// <inheritdoc/>
    public DataSchema Schema { get; }

    /// <inheritdoc/>
    public long? Count => _settings.Rows;

    /// <summary>Each class's mean example (classification) or template image (image), row-major by class.</summary>
    internal float[] Centroids { get; } = [];

    /// <summary>The regression weights (zero past the informative features).</summary>
    internal float[] Weights { get; } = [];

    /// <summary>The regression bias.</summary>
    internal float Bias { get; }

    /// <summary>The number of examples in each block but the last.</summary>
    internal int BlockRows { get; }

    /// <inheritdoc/>
    public async IAsyncEnumerable<DataBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var block = new BatchBuilder(Schema, BlockRows);
        var target = new float[1];
        for (long start = 0; start < _settings.Rows; start += BlockRows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            block.Clear();
            long end = Math.Min(_settings.Rows, start + BlockRows);
            for (long i = start; i < end; i++)
            {
                long label = Generate(i, block.NextFeatures(), out target[0]);
                block.Commit(label, target);
            }
            yield return block.ToBatch();
        }
        await Task.CompletedTask.ConfigureAwait(false); // generation is synchronous; the interface is not
    }

    /// <summary>Writes example <paramref name="index"/>'s features; returns its class (or sets its regression target).</summary>
    internal long Generate(long index, Span<float> features, out float target)
    {
        var random = new ExampleRandom(_settings.Seed, index);
        float noise = (float)_settings.Noise;
        target = 0;
        if (_settings.Generator == GeneratorKind.Regression)
        {
            random.FillNormals(features);
            target = (float)(Dot(Weights, features) + Bias + (noise * random.NextNormal()));
            return 0;
        }
        int label = random.NextBelow(_settings.Classes);
        random.FillNormals(features);
        ScaleAndShift(features, noise, Centroids.AsSpan(label * _size, _size), clip: _settings.Generator == GeneratorKind.Image);
        return label;
    }

    // values = center + scale * values, clipped to [0, 1] for images. Element by element, a multiplication then an
    // addition (no fused multiply-add), so the vector width does not change a single bit of the result.
    private static void ScaleAndShift(Span<float> values, float scale, ReadOnlySpan<float> center, bool clip)
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var scales = new Vector<float>(scale);
            for (; j + Vector<float>.Count <= values.Length; j += Vector<float>.Count)
            {
                Vector<float> v = new Vector<float>(center[j..]) + (scales * new Vector<float>(values[j..]));
                if (clip)
                {
                    v = Vector.Min(Vector.Max(v, Vector<float>.Zero), Vector<float>.One);
                }
                v.CopyTo(values[j..]);
            }
        }
        for (; j < values.Length; j++)
        {
            float v = center[j] + (scale * values[j]);
            values[j] = clip ? Math.Clamp(v, 0f, 1f) : v;
        }
    }

    // w·x in double, over four running sums in a fixed order (the same on every machine), so that the additions
    // overlap instead of each waiting for the last.
    private static double Dot(ReadOnlySpan<float> weights, ReadOnlySpan<float> x)
    {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 4 <= x.Length; j += 4)
        {
            s0 += (double)weights[j] * x[j];
            s1 += (double)weights[j + 1] * x[j + 1];
            s2 += (double)weights[j + 2] * x[j + 2];
            s3 += (double)weights[j + 3] * x[j + 3];
        }
        for (; j < x.Length; j++)
        {
            s0 += (double)weights[j] * x[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static DataSchema SchemaOf(SyntheticSettings settings)
    {
        if (settings.Generator == GeneratorKind.Image)
        {
            return new DataSchema(new TensorShape([.. settings.Shape]), [], TargetKind.Classification, ClassNames(settings.Classes));
        }
        var shape = new TensorShape(settings.Features);
        string[] names = [.. Enumerable.Range(0, settings.Features).Select(j => string.Create(CultureInfo.InvariantCulture, $"f{j}"))];
        return settings.Generator == GeneratorKind.Regression
            ? new DataSchema(shape, names, TargetKind.Regression, [])
            : new DataSchema(shape, names, TargetKind.Classification, ClassNames(settings.Classes));
    }

    private static string[] ClassNames(int classes) =>
        [.. Enumerable.Range(0, classes).Select(c => string.Create(CultureInfo.InvariantCulture, $"class_{c}"))];

    // Per class, soft blobs at seeded places and channels: smooth images a small network tells apart.
    private static float[] Templates(SyntheticSettings settings, int size, ref ExampleRandom random)
    {
        int channels = settings.Shape[0];
        int height = settings.Shape[1];
        int width = settings.Shape[2];
        double sigma = Math.Max(1, Math.Min(height, width) / 6.0);
        double reach = 40 * sigma * sigma; // past sqrt(40) sigmas a blob adds under 1e-8
        var templates = new float[settings.Classes * size];
        for (int c = 0; c < settings.Classes; c++)
        {
            Span<float> image = templates.AsSpan(c * size, size);
            for (int blob = 0; blob < BlobsPerClass; blob++)
            {
                double cy = random.NextUniform() * height;
                double cx = random.NextUniform() * width;
                int channel = random.NextBelow(channels);
                Span<float> plane = image.Slice(channel * height * width, height * width);
                for (int y = 0; y < height; y++)
                {
                    for (int x = 0; x < width; x++)
                    {
                        double d2 = ((y - cy) * (y - cy)) + ((x - cx) * (x - cx));
                        if (d2 > reach)
                        {
                            continue;
                        }
                        int at = (y * width) + x;
                        plane[at] = Math.Min(1f, plane[at] + (float)PortableMath.Exp(-d2 / (2 * sigma * sigma)));
                    }
                }
            }
        }
        return templates;
    }
}
