using System.Globalization;
using Conduit.Data;
using Microsoft.Extensions.Configuration;

namespace Conduit.DataSources.Idx;

/// <summary>
/// The <c>idx</c> data source: tensors in the IDX format of MNIST (<c>path</c>, optional <c>labels</c>, <c>task</c>,
/// <c>scale</c>, <c>shape</c>, <c>missing</c>, <c>fill_value</c>), streamed example by example, gzip or not.
/// Examples of rank 2 become <c>[1, H, W]</c> images; rank 3 stays <c>[C, H, W]</c>.
/// </summary>
public sealed class IdxDataSource : IDataSource
{
    /// <inheritdoc/>
    public string Name => "idx";

    /// <inheritdoc/>
    public IDataset Open(IConfiguration settings)
    {
        IdxSettings parsed = IdxSettings.Read(settings);
        IdxHeader images;
        using (IdxFile file = IdxFile.Open(parsed.Path, "data.path"))
        {
            images = file.Header;
        }
        TensorShape shape = ExampleShape(parsed, images);
        IdxLabels? labels = parsed.Labels is { } path ? IdxLabels.Scan(path, parsed.Task, images.Examples) : null;
        var schema = new DataSchema(shape, [], parsed.Task, labels?.ClassNames ?? []);
        var reader = new IdxReader(parsed, images, labels, schema);
        // Float data may hold NaN: one pass now, so a bad value stops the job before training, and skips are counted.
        long count = images.IsFloat && parsed.Errors.Missing != MissingValuePolicy.Fill ? reader.Blocks(CancellationToken.None).Sum(b => (long)b.Count) : images.Examples;
        if (count == 0)
        {
            throw new InvalidDataException(images.Examples == 0
                ? $"{Path.GetFileName(parsed.Path)}: the header declares 0 examples; expected at least one"
                : $"{Path.GetFileName(parsed.Path)}: all {images.Examples} examples hold NaN and were skipped (missing: skip); expected at least one complete example");
        }
        return new IdxDataset(reader, count);
    }

    // Channel first for images; a shape setting may regroup the same values.
    private static TensorShape ExampleShape(IdxSettings settings, IdxHeader header)
    {
        int[] dims = header.Dimensions[1..];
        if (settings.Shape is { } wanted)
        {
            long product = wanted.Aggregate(1L, (p, d) => p * d);
            if (product != header.ValuesPerExample)
            {
                throw new InvalidDataException($"data.shape: [{string.Join(", ", wanted)}] holds {product} values, but each example of {Path.GetFileName(settings.Path)} has {header.ValuesPerExample} (shape {header.Shape}); expected dimensions whose product is {header.ValuesPerExample}");
            }
            return new TensorShape([.. wanted]);
        }
        return dims.Length switch
        {
            0 => new TensorShape(1),
            2 => new TensorShape(1, dims[0], dims[1]),
            _ => new TensorShape(dims),
        };
    }
}

/// <summary>A labels file: its header, and for classification the classes its values name, in numeric order.</summary>
internal sealed record IdxLabels(string Path, IdxHeader Header, IReadOnlyList<string> ClassNames, IReadOnlyDictionary<long, long> ClassIndex)
{
    /// <summary>The target values per example.</summary>
    public int Width => (int)Header.ValuesPerExample;

    /// <summary>Checks the labels against the features and, for classification, collects the classes in one pass.</summary>
    /// <exception cref="InvalidDataException">The file is not IDX, does not match the features' count, or is not integer class labels.</exception>
    public static IdxLabels Scan(string path, TargetKind task, long examples)
    {
        using IdxFile file = IdxFile.Open(path, "data.labels");
        IdxHeader header = file.Header;
        if (header.Examples != examples)
        {
            throw new InvalidDataException($"{file.Name}: {header.Examples} labels, but the features file has {examples} examples; expected one label per example (data.labels)");
        }
        if (task != TargetKind.Classification)
        {
            return new IdxLabels(path, header, [], new Dictionary<long, long>());
        }
        if (header.Dimensions.Length != 1 || !header.IsInteger)
        {
            throw new InvalidDataException($"{file.Name}: labels of {header.TypeName} shape {header.Shape}; expected one integer class label per example (rank 1 ubyte, sbyte, int16 or int32), or task: regression");
        }
        var seen = new SortedSet<long>();
        var bytes = new byte[header.ValueSize];
        var value = new double[1];
        for (long i = 0; i < examples; i++)
        {
            file.ReadExample(bytes, i);
            header.Decode(bytes, value);
            seen.Add((long)value[0]);
        }
        string[] names = [.. seen.Select(v => v.ToString(CultureInfo.InvariantCulture))];
        var index = new Dictionary<long, long>();
        foreach (long v in seen)
        {
            index[v] = index.Count;
        }
        return new IdxLabels(path, header, names, index);
    }
}
