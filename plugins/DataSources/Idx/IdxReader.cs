using System.Numerics;
using System.Runtime.InteropServices;
using Conduit.Data;
using Conduit.DataSources.Common;

namespace Conduit.DataSources.Idx;

/// <summary>Reads the features (and the labels, side by side) example by example into blocks of bounded size.</summary>
internal sealed class IdxReader
{
    private const int MaxBlockRows = 512;

    // About 4 MB of features per block, so examples of any size keep a pass's memory bounded.
    private const int MaxBlockValues = 1 << 20;

    private readonly IdxSettings _settings;
    private readonly IdxHeader _features;
    private readonly IdxLabels? _labels;

    /// <summary>A reader of <paramref name="features"/> (and <paramref name="labels"/>) as examples of <paramref name="schema"/>.</summary>
    public IdxReader(IdxSettings settings, IdxHeader features, IdxLabels? labels, DataSchema schema)
    {
        _settings = settings;
        _features = features;
        _labels = labels;
        Schema = schema;
        TargetWidth = labels is not null && schema.Target == TargetKind.Regression ? labels.Width : 1;
        BlockRows = (int)Math.Clamp(Math.Min(features.Examples, MaxBlockValues / Math.Max(1, features.ValuesPerExample)), 1, MaxBlockRows);
    }

    /// <summary>The schema of the examples.</summary>
    public DataSchema Schema { get; }

    /// <summary>The number of target values per example.</summary>
    public int TargetWidth { get; }

    /// <summary>The most examples one block holds.</summary>
    public int BlockRows { get; }

    /// <summary>One pass over the files, in order, block by block; a block's memory is reused for the next.</summary>
    /// <param name="tally">Counts what the pass kept, left out and filled in; null when nobody asks.</param>
    /// <param name="cancellationToken">Ends the pass early.</param>
    /// <exception cref="InvalidDataException">A file is cut short or damaged, or a NaN is found where the job does not allow one.</exception>
    public IEnumerable<DataBatch> Blocks(RowTally? tally, CancellationToken cancellationToken)
    {
        using IdxFile features = IdxFile.Open(_settings.Path, "data.path");
        using IdxFile? targets = _labels is null ? null : IdxFile.Open(_labels.Path, "data.labels");
        var block = new BatchBuilder(Schema, BlockRows, TargetWidth);
        var decoder = new IdxDecoder(_features.Type, _settings.Scale);
        int exampleBytes = (int)_features.ExampleBytes;
        int labelBytes = _labels is null ? 0 : _labels.Width * _labels.Header.Type.Size;
        // A block's examples are read at once, its labels too: one read each instead of one per example.
        var featureRun = new byte[BlockRows * exampleBytes];
        var labelRun = new byte[BlockRows * labelBytes];
        var targetValues = new float[_labels?.Width ?? 0];
        for (long first = 0; first < _features.Examples; first += BlockRows)
        {
            int rows = (int)Math.Min(BlockRows, _features.Examples - first);
            features.ReadExamples(featureRun.AsSpan(0, rows * exampleBytes), first);
            targets?.ReadExamples(labelRun.AsSpan(0, rows * labelBytes), first);
            for (int r = 0; r < rows; r++)
            {
                long i = first + r;
                Span<float> values = block.NextFeatures();
                decoder.Decode(featureRun.AsSpan(r * exampleBytes, exampleBytes), values);
                bool keep = _features.Type.IsInteger || CheckMissing(values, features.Name, i, tally);
                long classIndex = 0;
                if (targets is not null)
                {
                    keep &= ReadTarget(labelRun.AsSpan(r * labelBytes, labelBytes), targets.Name, i, out classIndex, targetValues);
                }
                if (!keep)
                {
                    tally?.LeaveOutMissing();
                    continue;
                }
                tally?.Keep();
                block.Commit(classIndex, targetValues);
                if (block.IsFull)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return block.ToBatch();
                    block.Clear();
                }
            }
        }
        features.CheckEnd();
        targets?.CheckEnd();
        if (block.Count > 0)
        {
            yield return block.ToBatch();
        }
    }

    // NaN is a missing value: stop with its place, leave the example out, or fill it, as the job says.
    private bool CheckMissing(Span<float> values, string file, long example, RowTally? tally)
    {
        if (!HasNaN(values))
        {
            return true;
        }
        for (int j = 0; j < values.Length; j++)
        {
            if (!float.IsNaN(values[j]))
            {
                continue;
            }
            switch (_settings.Errors.Missing)
            {
                case MissingValuePolicy.Fill:
                    values[j] = _settings.Errors.FillValue;
                    tally?.Fill();
                    break;
                case MissingValuePolicy.Skip:
                    return false;
                default:
                    throw new InvalidDataException($"{file}: example {example}, element {j}{Position(_features, j)} is NaN; expected a number (a NaN is a missing value; data.missing: skip leaves the example out, fill puts fill_value in its place)");
            }
        }
        return true;
    }

    // NaN is the one value not equal to itself: compared a vector at a time, as examples almost never hold one.
    private static bool HasNaN(ReadOnlySpan<float> values)
    {
        ReadOnlySpan<Vector<float>> vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
        foreach (Vector<float> v in vectors)
        {
            if (!Vector.EqualsAll(v, v))
            {
                return true;
            }
        }
        foreach (float value in values[(vectors.Length * Vector<float>.Count)..])
        {
            if (float.IsNaN(value))
            {
                return true;
            }
        }
        return false;
    }

    // A class label becomes its class index; regression targets are floats, and a NaN target is never filled in.
    private bool ReadTarget(ReadOnlySpan<byte> bytes, string file, long example, out long classIndex, Span<float> values)
    {
        IdxHeader header = _labels!.Header;
        classIndex = 0;
        if (Schema.Target == TargetKind.Classification)
        {
            long label = (long)header.Type.Read(bytes, 0);
            if (!_labels.ClassIndex.TryGetValue(label, out classIndex))
            {
                throw new InvalidDataException($"{file}: example {example}: label {label} was not in the file when it was opened (classes {string.Join(", ", _labels.ClassNames)}); expected the file unchanged while the job runs");
            }
            return true;
        }
        for (int k = 0; k < values.Length; k++)
        {
            double value = header.Type.Read(bytes, k);
            if (double.IsNaN(value))
            {
                if (_settings.Errors.Missing == MissingValuePolicy.Skip)
                {
                    return false;
                }
                throw new InvalidDataException($"{file}: example {example}, target {k}{Position(header, k)} is NaN; expected a number (a missing target is never filled in; data.missing: skip leaves the example out)");
            }
            values[k] = (float)value;
        }
        return true;
    }

    // Where element j sits in an example of several dimensions: " (at [0, 4, 5] of [1, 8, 8])".
    private static string Position(IdxHeader header, int element)
    {
        ReadOnlySpan<int> dims = header.ExampleDimensions;
        if (dims.Length < 2)
        {
            return "";
        }
        var index = new int[dims.Length];
        for (int d = dims.Length - 1; d >= 0; d--)
        {
            index[d] = element % dims[d];
            element /= dims[d];
        }
        return $" (at [{string.Join(", ", index)}] of [{string.Join(", ", dims.ToArray())}])";
    }
}
