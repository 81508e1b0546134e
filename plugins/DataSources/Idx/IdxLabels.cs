using System.Globalization;
using Conduit.Data;

namespace Conduit.DataSources.Idx;

/// <summary>A labels file checked against the features: its header and, for classification, its classes.</summary>
/// <param name="Path">The file.</param>
/// <param name="Header">Its header.</param>
/// <param name="ClassNames">The distinct label values in numeric order, as text (classification); empty for regression.</param>
/// <param name="ClassIndex">Each label value's class index (classification).</param>
internal sealed record IdxLabels(string Path, IdxHeader Header, IReadOnlyList<string> ClassNames, IReadOnlyDictionary<long, long> ClassIndex)
{
    /// <summary>The target values per example (1 for classification; the product of the other dimensions for regression).</summary>
    public int Width => (int)Header.ValuesPerExample;

    /// <summary>Checks the labels against the features' example count and, for classification, collects the classes in one pass (labels files are small).</summary>
    /// <param name="path">The labels file (<c>data.labels</c>).</param>
    /// <param name="task">Classification or regression.</param>
    /// <param name="features">The features file's header.</param>
    /// <param name="featuresFile">The features file's name, for messages.</param>
    /// <exception cref="InvalidDataException">The file is not IDX, does not have one label per example, or is not integer class labels.</exception>
    public static IdxLabels Scan(string path, TargetKind task, IdxHeader features, string featuresFile)
    {
        using IdxFile file = IdxFile.Open(path, "data.labels");
        IdxHeader header = file.Header;
        if (header.Examples != features.Examples)
        {
            throw new InvalidDataException($"{file.Name}: the header declares {header.Examples} labels (shape {header.Shape}), but {featuresFile} has {features.Examples} examples (shape {features.Shape}); expected one label per example (data.labels)");
        }
        if (task != TargetKind.Classification)
        {
            return new IdxLabels(path, header, [], new Dictionary<long, long>());
        }
        if (header.Dimensions.Length != 1 || !header.Type.IsInteger)
        {
            throw new InvalidDataException($"{file.Name}: labels of {header.Type.Name} shape {header.Shape}; expected one integer class label per example (rank 1, ubyte, sbyte, int16 or int32), or task: regression for number targets");
        }
        var seen = new SortedSet<long>();
        int size = header.Type.Size;
        var bytes = new byte[(int)Math.Min(header.Examples, 1 << 16) * size];
        for (long first = 0; first < header.Examples; first += bytes.Length / size)
        {
            Span<byte> run = bytes.AsSpan(0, (int)Math.Min(bytes.Length / size, header.Examples - first) * size);
            file.ReadExamples(run, first);
            for (int k = 0; k < run.Length; k += size)
            {
                seen.Add((long)header.Type.Read(run, k / size));
            }
        }
        file.CheckEnd();
        var index = new Dictionary<long, long>(seen.Count);
        foreach (long value in seen)
        {
            index[value] = index.Count;
        }
        return new IdxLabels(path, header, [.. seen.Select(v => v.ToString(CultureInfo.InvariantCulture))], index);
    }
}
