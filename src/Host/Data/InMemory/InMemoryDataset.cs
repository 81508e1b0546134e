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
    // Memory rather than arrays: the parts of a split are slices of the one array the data was loaded into.
    private readonly Memory<float> _features;
    private readonly Memory<long>? _classes;
    private readonly Memory<float>? _values;
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
        : this(schema, features ?? throw new ArgumentNullException(nameof(features)), classes is null ? (Memory<long>?)null : classes, values is null ? (Memory<float>?)null : values)
    {
    }

    // Over memory the dataset may share with others: the parts of one split are slices of one array.
    private InMemoryDataset(DataSchema schema, Memory<float> features, Memory<long>? classes, Memory<float>? values)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Schema = schema;
        _featureSize = checked((int)schema.FeatureShape.ElementCount);
        if (_featureSize == 0 || features.Length % _featureSize != 0)
        {
            throw new ArgumentException($"{features.Length} feature values are not a whole number of examples of shape {schema.FeatureShape}.", nameof(features));
        }
        int count = features.Length / _featureSize;
        if (classes is { } c && c.Length != count)
        {
            throw new ArgumentException($"{count} examples but {c.Length} class labels.", nameof(classes));
        }
        if (values is { } v && (count == 0 ? v.Length != 0 : v.Length % count != 0))
        {
            throw new ArgumentException($"{v.Length} target values are not a whole number per example for {count} examples.", nameof(values));
        }
        _features = features;
        _classes = classes;
        _values = values;
        _targetSize = values is not { } t || count == 0 ? 1 : t.Length / count;
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
        // Filled in place, sized by the count the source gives: the data is never held twice while loading.
        var features = new GrowingArray<float>(expected * featureSize);
        var classes = new GrowingArray<long>(schema.Target == TargetKind.Classification ? expected : 0);
        var values = new GrowingArray<float>(schema.Target == TargetKind.Regression ? expected : 0);
        await foreach (DataBatch block in dataset.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            features.Add(ElementsOf<float>(block.Features, "features", dataset));
            if (schema.Target == TargetKind.Classification)
            {
                classes.Add(ElementsOf<long>(block.Targets, "class indices", dataset));
            }
            else if (schema.Target == TargetKind.Regression)
            {
                values.Add(ElementsOf<float>(block.Targets, "regression targets", dataset));
            }
        }
        return new InMemoryDataset(schema, features.Filled,
            schema.Target == TargetKind.Classification ? classes.Filled : (Memory<long>?)null,
            schema.Target == TargetKind.Regression ? values.Filled : (Memory<float>?)null);
    }

    /// <summary>
    /// Splits this dataset into parts that share its memory: its rows are reordered in place to <paramref name="order"/>
    /// (train rows, then validation rows, then test rows), and this dataset must not be used afterwards.
    /// </summary>
    internal (InMemoryDataset Train, InMemoryDataset Validation, InMemoryDataset Test) Partition(int[] order, int trainCount, int validationCount)
    {
        RowPermutation.Apply(_features.Span, _featureSize, order);
        if (_classes is { } classes)
        {
            RowPermutation.Apply(classes.Span, 1, order);
        }
        if (_values is { } values)
        {
            RowPermutation.Apply(values.Span, _targetSize, order);
        }
        InMemoryDataset Part(int start, int count) => new(Schema,
            _features.Slice(start * _featureSize, count * _featureSize),
            _classes?.Slice(start, count),
            _values?.Slice(start * _targetSize, count * _targetSize));
        return (Part(0, trainCount), Part(trainCount, validationCount), Part(trainCount + validationCount, Length - trainCount - validationCount));
    }

    /// <summary>Transforms the features in place; only for data this dataset's owner holds alone (a split's parts).</summary>
    internal void MapFeaturesInPlace(Action<Span<float>> transform) => transform(_features.Span);

    /// <inheritdoc/>
    public DataSchema Schema { get; }

    /// <summary>The number of examples.</summary>
    public int Length { get; }

    /// <inheritdoc/>
    public long? Count => Length;

    /// <summary>The features, row-major.</summary>
    public ReadOnlySpan<float> Features => _features.Span;

    /// <summary>The class indices (classification), else empty.</summary>
    public ReadOnlySpan<long> Classes => _classes is { } classes ? classes.Span : default;

    /// <summary>The float targets (regression), else empty.</summary>
    public ReadOnlySpan<float> Values => _values is { } values ? values.Span : default;

    /// <summary>The examples at <paramref name="indices"/>, in that order, as a new dataset.</summary>
    public InMemoryDataset Subset(ReadOnlySpan<int> indices)
    {
        var features = new float[indices.Length * _featureSize];
        for (int i = 0; i < indices.Length; i++)
        {
            Features.Slice(indices[i] * _featureSize, _featureSize).CopyTo(features.AsSpan(i * _featureSize));
        }
        if (_classes is not null)
        {
            var classes = new long[indices.Length];
            for (int i = 0; i < indices.Length; i++)
            {
                classes[i] = Classes[indices[i]];
            }
            return new InMemoryDataset(Schema, features, classes);
        }
        float[]? values = null;
        if (_values is not null)
        {
            values = new float[indices.Length * _targetSize];
            for (int i = 0; i < indices.Length; i++)
            {
                Values.Slice(indices[i] * _targetSize, _targetSize).CopyTo(values.AsSpan(i * _targetSize));
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
        ITensorBuffer? targets = _classes is { } classes ? new TensorBuffer<long>(classes, new TensorShape(Length))
            : _values is { } values ? new TensorBuffer<float>(values, new TensorShape(Length, _targetSize))
            : null;
        yield return new DataBatch(features, targets);
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>This dataset with features transformed by <paramref name="transform"/> (applied to a copy).</summary>
    public InMemoryDataset MapFeatures(Action<Span<float>> transform)
    {
        ArgumentNullException.ThrowIfNull(transform);
        float[] copy = _features.ToArray();
        transform(copy);
        return new InMemoryDataset(Schema, copy, _classes, _values);
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
        ReadOnlySpan<float> all = Features;
        for (int i = 0; i < size; i++)
        {
            int row = order?[start + i] ?? start + i;
            all.Slice(row * _featureSize, _featureSize).CopyTo(features.Slice(i * _featureSize));
        }
        var featureTensor = new TensorBuffer<float>(buffer, Schema.FeatureShape.Prepend(size));
        if (_classes is not null)
        {
            ReadOnlySpan<long> allClasses = Classes;
            var classes = new long[size];
            for (int i = 0; i < size; i++)
            {
                classes[i] = allClasses[order?[start + i] ?? start + i];
            }
            return new DataBatch(featureTensor, new TensorBuffer<long>(classes, new TensorShape(size)));
        }
        if (_values is not null)
        {
            ReadOnlySpan<float> allValues = Values;
            var values = new float[size * _targetSize];
            for (int i = 0; i < size; i++)
            {
                int row = order?[start + i] ?? start + i;
                allValues.Slice(row * _targetSize, _targetSize).CopyTo(values.AsSpan(i * _targetSize));
            }
            return new DataBatch(featureTensor, new TensorBuffer<float>(values, new TensorShape(size, _targetSize)));
        }
        return new DataBatch(featureTensor, null);
    }
}
