using System.Buffers;
using System.Runtime.CompilerServices;
using Conduit.Data;

namespace Conduit.Host.Data;

/// <summary>
/// A dataset held in memory as row-major float features (one array) and class indices or float targets: a source's
/// data loaded once, and the splits the host makes of it. Every pass and every shuffle is an index permutation.
/// </summary>
public sealed class InMemoryDataset : IBatchedDataset
{
    private readonly float[] _features;
    private readonly long[]? _classes;
    private readonly float[]? _values;
    private readonly int _featureSize;
    private readonly int _targetSize;

    /// <summary>A classification dataset: one class index per example.</summary>
    /// <param name="schema">The schema; its <see cref="DataSchema.FeatureShape"/> gives the size of one example.</param>
    /// <param name="features">Row-major features, <c>count × FeatureShape.ElementCount</c> values.</param>
    /// <param name="classes">One class index per example, each in [0, ClassNames.Count).</param>
    public InMemoryDataset(DataSchema schema, float[] features, long[] classes)
        : this(schema, features, classes, null)
    {
    }

    /// <summary>A regression dataset (<paramref name="values"/>: <c>count × K</c> targets) or, with null values, an unlabelled one.</summary>
    public InMemoryDataset(DataSchema schema, float[] features, float[]? values)
        : this(schema, features, null, values)
    {
    }

    private InMemoryDataset(DataSchema schema, float[] features, long[]? classes, float[]? values)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(features);
        Schema = schema;
        _featureSize = checked((int)schema.FeatureShape.ElementCount);
        if (_featureSize == 0 || features.Length % _featureSize != 0)
        {
            throw new ArgumentException($"{features.Length} feature values are not a whole number of examples of shape {schema.FeatureShape}.", nameof(features));
        }
        int count = features.Length / _featureSize;
        if (classes is not null && classes.Length != count)
        {
            throw new ArgumentException($"{count} examples but {classes.Length} class labels.", nameof(classes));
        }
        if (values is not null && (count == 0 ? values.Length != 0 : values.Length % count != 0))
        {
            throw new ArgumentException($"{values.Length} target values are not a whole number per example for {count} examples.", nameof(values));
        }
        _features = features;
        _classes = classes;
        _values = values;
        _targetSize = values is null || count == 0 ? 1 : values.Length / count;
        Length = count;
    }

    /// <summary>Reads one pass of <paramref name="dataset"/>, in its storage order, into memory.</summary>
    /// <param name="dataset">Any dataset, read through <see cref="IDataset.ReadAsync"/>.</param>
    /// <param name="cancellationToken">Ends the read early.</param>
    /// <exception cref="InvalidDataException">The dataset turned out malformed while reading.</exception>
    /// <exception cref="ArgumentException">A block's features are not <see cref="float"/>, or its targets not those of the schema.</exception>
    public static async Task<InMemoryDataset> LoadAsync(IDataset dataset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset is InMemoryDataset loaded)
        {
            return loaded;
        }
        DataSchema schema = dataset.Schema;
        int featureSize = checked((int)schema.FeatureShape.ElementCount);
        int expected = (int)Math.Min(dataset.Count ?? 0, int.MaxValue / Math.Max(1, featureSize));
        var features = new List<float>(expected * featureSize);
        var classes = new List<long>(schema.Target == TargetKind.Classification ? expected : 0);
        var values = new List<float>(schema.Target == TargetKind.Regression ? expected : 0);
        await foreach (DataBatch block in dataset.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            features.AddRange(ElementsOf<float>(block.Features, "features", dataset));
            if (schema.Target == TargetKind.Classification)
            {
                classes.AddRange(ElementsOf<long>(block.Targets, "class indices", dataset));
            }
            else if (schema.Target == TargetKind.Regression)
            {
                values.AddRange(ElementsOf<float>(block.Targets, "regression targets", dataset));
            }
        }
        return schema.Target == TargetKind.Classification
            ? new InMemoryDataset(schema, [.. features], [.. classes])
            : new InMemoryDataset(schema, [.. features], schema.Target == TargetKind.Regression ? [.. values] : null);
    }

    /// <inheritdoc/>
    public DataSchema Schema { get; }

    /// <summary>The number of examples.</summary>
    public int Length { get; }

    /// <inheritdoc/>
    public long? Count => Length;

    /// <summary>The features, row-major.</summary>
    public ReadOnlySpan<float> Features => _features;

    /// <summary>The class indices (classification), else empty.</summary>
    public ReadOnlySpan<long> Classes => _classes;

    /// <summary>The float targets (regression), else empty.</summary>
    public ReadOnlySpan<float> Values => _values;

    /// <summary>The examples at <paramref name="indices"/>, in that order, as a new dataset.</summary>
    public InMemoryDataset Subset(ReadOnlySpan<int> indices)
    {
        var features = new float[indices.Length * _featureSize];
        for (int i = 0; i < indices.Length; i++)
        {
            _features.AsSpan(indices[i] * _featureSize, _featureSize).CopyTo(features.AsSpan(i * _featureSize));
        }
        if (_classes is not null)
        {
            var classes = new long[indices.Length];
            for (int i = 0; i < indices.Length; i++)
            {
                classes[i] = _classes[indices[i]];
            }
            return new InMemoryDataset(Schema, features, classes);
        }
        float[]? values = null;
        if (_values is not null)
        {
            values = new float[indices.Length * _targetSize];
            for (int i = 0; i < indices.Length; i++)
            {
                _values.AsSpan(indices[i] * _targetSize, _targetSize).CopyTo(values.AsSpan(i * _targetSize));
            }
        }
        return new InMemoryDataset(Schema, features, values);
    }

    /// <inheritdoc/>
    /// <remarks>The whole dataset is one block, over the dataset's own arrays: read it, do not write it.</remarks>
    public async IAsyncEnumerable<DataBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var features = new TensorBuffer<float>(_features, Schema.FeatureShape.Prepend(Length));
        ITensorBuffer? targets = _classes is not null ? new TensorBuffer<long>(_classes, new TensorShape(Length))
            : _values is not null ? new TensorBuffer<float>(_values, new TensorShape(Length, _targetSize))
            : null;
        yield return new DataBatch(features, targets);
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>This dataset with features transformed by <paramref name="transform"/> (applied to a copy).</summary>
    public InMemoryDataset MapFeatures(Action<Span<float>> transform)
    {
        ArgumentNullException.ThrowIfNull(transform);
        float[] copy = (float[])_features.Clone();
        transform(copy);
        return _classes is not null ? new InMemoryDataset(Schema, copy, _classes) : new InMemoryDataset(Schema, copy, _values);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Batches are assembled in pooled buffers that are reused once the next batch is requested (a batch of 64 MNIST
    /// images is 200 KB: allocating one per step would churn the large object heap); copy what must outlive a step.
    /// </remarks>
    public async IAsyncEnumerable<DataBatch> ReadBatchesAsync(BatchOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1, nameof(options));
        int[]? order = options.Shuffle ? SeededShuffle.Permutation(Length, options.Seed, options.Epoch) : null;
        float[] features = ArrayPool<float>.Shared.Rent(options.BatchSize * _featureSize);
        try
        {
            for (int start = 0; start < Length; start += options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int size = Math.Min(options.BatchSize, Length - start);
                if (size < options.BatchSize && options.DropLast)
                {
                    yield break;
                }
                yield return Batch(order, start, size, features.AsMemory(0, size * _featureSize));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(features);
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    // A block holds what the contract says it holds; anything else is the source's mistake, named.
    private static ReadOnlySpan<T> ElementsOf<T>(ITensorBuffer? tensor, string what, IDataset dataset)
        where T : unmanaged =>
        tensor is TensorBuffer<T> typed
            ? typed.Memory.Span
            : throw new ArgumentException($"{dataset.GetType().Name} gave {what} of {tensor?.ElementType.Name ?? "none"}; expected {typeof(T).Name}.", nameof(dataset));

    private DataBatch Batch(int[]? order, int start, int size, Memory<float> buffer)
    {
        Span<float> features = buffer.Span;
        for (int i = 0; i < size; i++)
        {
            int row = order?[start + i] ?? start + i;
            _features.AsSpan(row * _featureSize, _featureSize).CopyTo(features.Slice(i * _featureSize));
        }
        var featureTensor = new TensorBuffer<float>(buffer, Schema.FeatureShape.Prepend(size));
        if (_classes is not null)
        {
            var classes = new long[size];
            for (int i = 0; i < size; i++)
            {
                classes[i] = _classes[order?[start + i] ?? start + i];
            }
            return new DataBatch(featureTensor, new TensorBuffer<long>(classes, new TensorShape(size)));
        }
        if (_values is not null)
        {
            var values = new float[size * _targetSize];
            for (int i = 0; i < size; i++)
            {
                int row = order?[start + i] ?? start + i;
                _values.AsSpan(row * _targetSize, _targetSize).CopyTo(values.AsSpan(i * _targetSize));
            }
            return new DataBatch(featureTensor, new TensorBuffer<float>(values, new TensorShape(size, _targetSize)));
        }
        return new DataBatch(featureTensor, null);
    }
}
