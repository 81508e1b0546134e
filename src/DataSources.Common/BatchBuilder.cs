using Conduit.Data;

namespace Conduit.DataSources.Common;

/// <summary>
/// Gathers examples, one at a time or copied from other batches, into a batch held in buffers that are reused after
/// <see cref="Clear"/>: how a source turns rows into blocks without allocating per row, and how the host cuts blocks
/// into batches and holds a shuffle buffer.
/// </summary>
/// <remarks>
/// Features are <see cref="float"/>; targets are class indices (<see cref="long"/>, shape <c>[N]</c>) for
/// classification, <c>[N, K]</c> floats for regression, and absent otherwise, as <see cref="DataBatch"/> describes.
/// </remarks>
public sealed class BatchBuilder
{
    private readonly float[] _features;
    private readonly long[]? _classes;
    private readonly float[]? _values;
    private readonly TensorShape _exampleShape;

    /// <summary>A builder of batches of up to <paramref name="capacity"/> examples of <paramref name="schema"/>.</summary>
    /// <param name="schema">The examples' schema.</param>
    /// <param name="capacity">The most examples a batch holds.</param>
    /// <param name="targetWidth">The number of target values per example for regression (K in <c>[N, K]</c>).</param>
    public BatchBuilder(DataSchema schema, int capacity, int targetWidth = 1)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetWidth, 1);
        Schema = schema;
        Capacity = capacity;
        FeatureSize = checked((int)schema.FeatureShape.ElementCount);
        TargetWidth = targetWidth;
        _exampleShape = schema.FeatureShape;
        _features = new float[checked(capacity * FeatureSize)];
        if (schema.Target == TargetKind.Classification)
        {
            _classes = new long[capacity];
        }
        else if (schema.Target == TargetKind.Regression)
        {
            _values = new float[checked(capacity * targetWidth)];
        }
    }

    /// <summary>The examples' schema.</summary>
    public DataSchema Schema { get; }

    /// <summary>The most examples a batch holds.</summary>
    public int Capacity { get; }

    /// <summary>The number of feature values of one example.</summary>
    public int FeatureSize { get; }

    /// <summary>The number of target values of one regression example.</summary>
    public int TargetWidth { get; }

    /// <summary>The number of examples gathered since the last <see cref="Clear"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Whether the batch holds <see cref="Capacity"/> examples.</summary>
    public bool IsFull => Count == Capacity;

    /// <summary>
    /// The feature slot of the next example, to be filled in place; the example counts only once
    /// <see cref="Commit()"/> (or an overload with its target) is called, so a row found bad halfway leaves nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">The batch is full.</exception>
    public Span<float> NextFeatures()
    {
        ThrowIfFull();
        return _features.AsSpan(Count * FeatureSize, FeatureSize);
    }

    /// <summary>Counts the example whose features were written to <see cref="NextFeatures"/> (unlabelled data).</summary>
    public void Commit()
    {
        ThrowIfFull();
        Count++;
    }

    /// <summary>Counts the example whose features were written to <see cref="NextFeatures"/>, with its class index.</summary>
    public void Commit(long classIndex)
    {
        ThrowIfFull();
        if (_classes is not null)
        {
            _classes[Count] = classIndex;
        }
        Count++;
    }

    /// <summary>Counts the example whose features were written to <see cref="NextFeatures"/>, with its regression targets.</summary>
    public void Commit(ReadOnlySpan<float> values)
    {
        ThrowIfFull();
        if (_values is not null)
        {
            values.CopyTo(_values.AsSpan(Count * TargetWidth, TargetWidth));
        }
        Count++;
    }

    /// <summary>
    /// Counts the example whose features were written to <see cref="NextFeatures"/>, with the target the schema has:
    /// <paramref name="classIndex"/> for classification, <paramref name="values"/> for regression, neither otherwise.
    /// </summary>
    public void Commit(long classIndex, ReadOnlySpan<float> values)
    {
        if (_values is not null)
        {
            Commit(values);
        }
        else
        {
            Commit(classIndex);
        }
    }

    /// <summary>Adds a classification example (or, for other targets, its features alone).</summary>
    public void Add(ReadOnlySpan<float> features, long classIndex)
    {
        features.CopyTo(NextFeatures());
        Commit(classIndex);
    }

    /// <summary>Adds a regression example (or, for other targets, its features alone).</summary>
    public void Add(ReadOnlySpan<float> features, ReadOnlySpan<float> values)
    {
        features.CopyTo(NextFeatures());
        Commit(values);
    }

    /// <summary>Copies example <paramref name="index"/> of <paramref name="batch"/>, which must have this builder's layout.</summary>
    /// <exception cref="ArgumentException">The batch's features are not <see cref="float"/> of this schema's shape, or its targets do not match.</exception>
    public void Add(DataBatch batch, int index) => AddRange(batch, index, 1);

    /// <summary>Copies <paramref name="count"/> examples of <paramref name="batch"/> from <paramref name="start"/>.</summary>
    /// <exception cref="ArgumentException">The batch's features are not <see cref="float"/> of this schema's shape, or its targets do not match.</exception>
    public void AddRange(DataBatch batch, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (start + count > batch.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"Examples {start} to {start + count - 1} are outside a batch of {batch.Count}.");
        }
        if (Count + count > Capacity)
        {
            throw new InvalidOperationException($"{count} more examples do not fit: the batch holds {Count} of {Capacity}.");
        }
        ReadOnlySpan<float> features = FeaturesOf(batch);
        features.Slice(start * FeatureSize, count * FeatureSize).CopyTo(_features.AsSpan(Count * FeatureSize));
        if (_classes is not null)
        {
            ClassesOf(batch).Slice(start, count).CopyTo(_classes.AsSpan(Count));
        }
        else if (_values is not null)
        {
            ValuesOf(batch).Slice(start * TargetWidth, count * TargetWidth).CopyTo(_values.AsSpan(Count * TargetWidth));
        }
        Count += count;
    }

    /// <summary>
    /// The examples gathered so far as a batch over this builder's buffers: valid until <see cref="Clear"/> or the
    /// next addition; copy what must outlive it.
    /// </summary>
    public DataBatch ToBatch()
    {
        var features = new TensorBuffer<float>(_features.AsMemory(0, Count * FeatureSize), _exampleShape.Prepend(Count));
        ITensorBuffer? targets = _classes is not null
            ? new TensorBuffer<long>(_classes.AsMemory(0, Count), new TensorShape(Count))
            : _values is not null
                ? new TensorBuffer<float>(_values.AsMemory(0, Count * TargetWidth), new TensorShape(Count, TargetWidth))
                : null;
        return new DataBatch(features, targets);
    }

    /// <summary>Empties the batch; its buffers are reused by the next examples.</summary>
    public void Clear() => Count = 0;

    /// <summary>The number of target values per example of <paramref name="batch"/>: <c>k</c> of <c>[n, k]</c> targets, else 1.</summary>
    public static int TargetWidthOf(DataBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return batch.Targets is { Shape.Rank: >= 2 } targets ? checked((int)(targets.Shape.ElementCount / Math.Max(1, targets.Shape[0]))) : 1;
    }

    /// <summary>Copies held example <paramref name="slot"/> to the end of <paramref name="output"/> (a shuffle buffer sending one out).</summary>
    public void CopyTo(int slot, BatchBuilder output)
    {
        ArgumentNullException.ThrowIfNull(output);
        CheckHeld(slot);
        Span<float> features = output.NextFeatures();
        _features.AsSpan(slot * FeatureSize, FeatureSize).CopyTo(features);
        if (_classes is not null)
        {
            output.Commit(_classes[slot]);
        }
        else if (_values is not null)
        {
            output.Commit(_values.AsSpan(slot * TargetWidth, TargetWidth));
        }
        else
        {
            output.Commit();
        }
    }

    /// <summary>Replaces held example <paramref name="slot"/> with example <paramref name="index"/> of <paramref name="batch"/>.</summary>
    public void Overwrite(int slot, DataBatch batch, int index)
    {
        CheckHeld(slot);
        FeaturesOf(batch).Slice(index * FeatureSize, FeatureSize).CopyTo(_features.AsSpan(slot * FeatureSize));
        if (_classes is not null)
        {
            _classes[slot] = ClassesOf(batch)[index];
        }
        else if (_values is not null)
        {
            ValuesOf(batch).Slice(index * TargetWidth, TargetWidth).CopyTo(_values.AsSpan(slot * TargetWidth));
        }
    }

    /// <summary>Forgets held example <paramref name="slot"/>, moving the last one into its place.</summary>
    public void RemoveSwapLast(int slot)
    {
        CheckHeld(slot);
        int last = Count - 1;
        if (slot != last)
        {
            _features.AsSpan(last * FeatureSize, FeatureSize).CopyTo(_features.AsSpan(slot * FeatureSize));
            if (_classes is not null)
            {
                _classes[slot] = _classes[last];
            }
            else if (_values is not null)
            {
                _values.AsSpan(last * TargetWidth, TargetWidth).CopyTo(_values.AsSpan(slot * TargetWidth));
            }
        }
        Count = last;
    }

    /// <summary>The features of <paramref name="batch"/>, checked against this builder's example size.</summary>
    private ReadOnlySpan<float> FeaturesOf(DataBatch batch)
    {
        if (batch.Features is not TensorBuffer<float> features)
        {
            throw new ArgumentException($"Batch features are {batch.Features.ElementType.Name}; expected Single (float).", nameof(batch));
        }
        if (batch.Count > 0 && features.Shape.ElementCount != (long)batch.Count * FeatureSize)
        {
            throw new ArgumentException($"Batch features of shape {features.Shape} do not hold examples of shape {_exampleShape}.", nameof(batch));
        }
        return features.Memory.Span;
    }

    private ReadOnlySpan<long> ClassesOf(DataBatch batch) =>
        batch.Targets is TensorBuffer<long> classes && classes.Shape.ElementCount == batch.Count
            ? classes.Memory.Span
            : throw new ArgumentException($"Batch targets are {Describe(batch.Targets)}; expected one Int64 class index per example.", nameof(batch));

    private ReadOnlySpan<float> ValuesOf(DataBatch batch) =>
        batch.Targets is TensorBuffer<float> values && values.Shape.ElementCount == (long)batch.Count * TargetWidth
            ? values.Memory.Span
            : throw new ArgumentException($"Batch targets are {Describe(batch.Targets)}; expected {TargetWidth} Float32 values per example.", nameof(batch));

    private static string Describe(ITensorBuffer? tensor) => tensor is null ? "absent" : $"{tensor.ElementType.Name} of shape {tensor.Shape}";

    private void CheckHeld(int slot) => ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)slot, (uint)Count, nameof(slot));

    private void ThrowIfFull()
    {
        if (Count == Capacity)
        {
            throw new InvalidOperationException($"The batch is full ({Capacity} examples); call ToBatch and Clear first.");
        }
    }
}
