using Conduit.Data;

namespace Conduit.DataSources.Idx;

/// <summary>Reads features (and labels, side by side) example by example into blocks.</summary>
internal sealed class IdxReader(IdxSettings settings, IdxHeader images, IdxLabels? labels, DataSchema schema)
{
    private const int BlockRows = 512;

    /// <summary>The schema of the examples.</summary>
    public DataSchema Schema => schema;

    /// <summary>The number of target values per example.</summary>
    public int TargetWidth => labels is { } l && settings.Task == TargetKind.Regression ? l.Width : 1;

    /// <summary>One pass over the files, in order.</summary>
    /// <exception cref="InvalidDataException">A file is cut short, or a NaN is found where the job does not allow one.</exception>
    public IEnumerable<DataBatch> Blocks(CancellationToken cancellationToken)
    {
        using IdxFile features = IdxFile.Open(settings.Path, "data.path");
        using IdxFile? targets = labels is null ? null : IdxFile.Open(labels.Path, "data.labels");
        var block = new BatchBuilder(schema, (int)Math.Clamp(images.Examples, 1, BlockRows), TargetWidth);
        var exampleBytes = new byte[checked((int)(images.ValuesPerExample * images.ValueSize))];
        byte[] labelBytes = labels is null ? [] : new byte[labels.Width * labels.Header.ValueSize];
        var labelValues = new double[labels?.Width ?? 0];
        var targetValues = new float[labels?.Width ?? 0];
        float scale = (float)settings.Scale;
        for (long i = 0; i < images.Examples; i++)
        {
            features.ReadExample(exampleBytes, i);
            Span<float> values = block.NextFeatures();
            images.Decode(exampleBytes, values, scale);
            bool keep = !images.IsFloat || CheckMissing(values, features.Name, i);
            if (targets is not null)
            {
                targets.ReadExample(labelBytes, i);
                labels!.Header.Decode(labelBytes, labelValues);
            }
            if (!keep)
            {
                continue;
            }
            for (int k = 0; k < targetValues.Length; k++)
            {
                targetValues[k] = (float)labelValues[k];
            }
            block.Commit(schema.Target == TargetKind.Classification ? labels!.ClassIndex[(long)labelValues[0]] : 0, targetValues);
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
    }

    // NaN is a missing value: stop with its place, leave the example out, or fill it, as the job says.
    private bool CheckMissing(Span<float> values, string file, long example)
    {
        for (int j = 0; j < values.Length; j++)
        {
            if (!float.IsNaN(values[j]))
            {
                continue;
            }
            switch (settings.Errors.Missing)
            {
                case MissingValuePolicy.Fill:
                    values[j] = settings.Errors.FillValue;
                    break;
                case MissingValuePolicy.Skip:
                    return false;
                default:
                    throw new InvalidDataException($"{file}: example {example}, value {j} is NaN; expected a number (missing values are not filled in unless data.missing is skip or fill)");
            }
        }
        return true;
    }
}

/// <summary>An IDX dataset, streamed on every pass.</summary>
internal sealed class IdxDataset(IdxReader reader, long count) : StreamingDataset(reader.Schema, count, reader.TargetWidth)
{
    /// <inheritdoc/>
    public override async IAsyncEnumerable<DataBatch> ReadExamplesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (DataBatch block in reader.Blocks(cancellationToken))
        {
            yield return block;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }
}
