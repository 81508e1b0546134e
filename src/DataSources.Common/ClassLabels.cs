using System.Globalization;

namespace Conduit.DataSources.Common;

/// <summary>
/// Collects the distinct label strings of a classification column, then orders them as classes: numerically when
/// every label is an integer (so "10" follows "9"), otherwise ordinally; a class's index is its position. Every
/// source uses it, so a label names the same class whichever file format it came from.
/// </summary>
public sealed class ClassLabels
{
    private readonly Dictionary<string, int> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly List<string> _labels = [];

    /// <summary>Creates an empty collector.</summary>
    public ClassLabels() => _lookup = _seen.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The provisional index of <paramref name="label"/> (first-seen order), without allocating for a known label.</summary>
    public int Add(ReadOnlySpan<char> label)
    {
        if (!_lookup.TryGetValue(label, out int index))
        {
            index = _labels.Count;
            string text = label.ToString();
            _seen.Add(text, index);
            _labels.Add(text);
        }
        return index;
    }

    /// <summary>The distinct labels, in the order first seen (provisional index order).</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>The class names in class-index order, and for each provisional index its class index.</summary>
    public (string[] Names, int[] ClassOf) Finish()
    {
        var numbers = new long[_labels.Count];
        bool numeric = true;
        for (int i = 0; i < _labels.Count && numeric; i++)
        {
            numeric = long.TryParse(_labels[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out numbers[i]);
        }
        var classOf = new int[_labels.Count];
        if (numeric)
        {
            // "1" and "01" are the same integer, so they are one class, named as the integer is written.
            long[] distinct = [.. numbers.Distinct().Order()];
            for (int i = 0; i < numbers.Length; i++)
            {
                classOf[i] = Array.BinarySearch(distinct, numbers[i]);
            }
            return ([.. distinct.Select(n => n.ToString(CultureInfo.InvariantCulture))], classOf);
        }
        string[] names = [.. _labels.Order(StringComparer.Ordinal)];
        for (int i = 0; i < _labels.Count; i++)
        {
            classOf[i] = Array.BinarySearch(names, _labels[i], StringComparer.Ordinal);
        }
        return (names, classOf);
    }
}
