using Conduit.Data;

namespace Conduit.Host.Data;

/// <summary>
/// Per-feature statistics gathered chunk by chunk, so a normalizer can be fitted on data that never sits in memory
/// whole: each chunk's mean and squared deviations are computed in two passes and merged (Chan et al.), as accurate
/// as one two-pass sweep over everything.
/// </summary>
internal sealed class NormalizerFitter
{
    private const int ChunkExamples = 4096;

    private readonly NormalizationKind _kind;
    private readonly int _size;
    private readonly double[] _mean;
    private readonly double[] _squares;
    private readonly float[] _min;
    private readonly float[] _max;
    private readonly float[] _chunk;
    private int _chunkCount;
    private long _merged;

    public NormalizerFitter(NormalizationKind kind, int featureCount)
    {
        _kind = kind;
        _size = featureCount;
        _mean = new double[featureCount];
        _squares = new double[featureCount];
        _min = new float[featureCount];
        _max = new float[featureCount];
        _min.AsSpan().Fill(float.PositiveInfinity);
        _max.AsSpan().Fill(float.NegativeInfinity);
        _chunk = kind == NormalizationKind.None ? [] : new float[ChunkExamples * featureCount];
    }

    /// <summary>The number of examples added.</summary>
    public long Count => _merged + _chunkCount;

    /// <summary>Adds whole examples, back to back.</summary>
    public void AddExamples(ReadOnlySpan<float> examples)
    {
        if (_kind == NormalizationKind.None)
        {
            _merged += examples.Length / _size;
            return;
        }
        Flush();
        Merge(examples);
    }

    /// <summary>Adds one example; examples are buffered and merged a chunk at a time.</summary>
    public void AddExample(ReadOnlySpan<float> example)
    {
        if (_kind == NormalizationKind.None)
        {
            _merged++;
            return;
        }
        example.CopyTo(_chunk.AsSpan(_chunkCount++ * _size, _size));
        if (_chunkCount == ChunkExamples)
        {
            Flush();
        }
    }

    /// <summary>The fitted normalizer.</summary>
    /// <exception cref="ArgumentException">No example was added.</exception>
    public FeatureNormalizer Build()
    {
        Flush();
        if (_kind == NormalizationKind.None)
        {
            return FeatureNormalizer.None;
        }
        if (Count == 0)
        {
            throw new ArgumentException("Cannot fit a normalizer on a dataset without examples.");
        }
        var center = new float[_size];
        var scale = new double[_size];
        for (int j = 0; j < _size; j++)
        {
            (double c, double s) = _kind == NormalizationKind.Standardize
                ? (_mean[j], Math.Sqrt(_squares[j] / _merged)) // population deviation, as scikit-learn's StandardScaler
                : (_min[j], (double)_max[j] - _min[j]);
            center[j] = (float)c;
            scale[j] = s;
        }
        return FeatureNormalizer.FromStatistics(_kind, center, scale);
    }

    private void Flush()
    {
        if (_chunkCount > 0)
        {
            Merge(_chunk.AsSpan(0, _chunkCount * _size));
            _chunkCount = 0;
        }
    }

    private void Merge(ReadOnlySpan<float> examples)
    {
        int n = examples.Length / _size;
        if (n == 0)
        {
            return;
        }
        for (int j = 0; j < _size; j++)
        {
            if (_kind == NormalizationKind.Standardize)
            {
                double sum = 0;
                for (int i = j; i < examples.Length; i += _size)
                {
                    sum += examples[i];
                }
                double mean = sum / n;
                double squares = 0;
                for (int i = j; i < examples.Length; i += _size)
                {
                    double d = examples[i] - mean;
                    squares += d * d;
                }
                double delta = mean - _mean[j];
                double total = _merged + n;
                _mean[j] += delta * n / total;
                _squares[j] += squares + delta * delta * _merged * n / total;
            }
            else
            {
                for (int i = j; i < examples.Length; i += _size)
                {
                    _min[j] = Math.Min(_min[j], examples[i]);
                    _max[j] = Math.Max(_max[j], examples[i]);
                }
            }
        }
        _merged += n;
    }
}
