using Conduit.Data;

namespace Conduit.Host.Data;

/// <summary>
/// Fits data read from a separate file (<c>validation_path</c>, <c>test_path</c>, predict's input) to the training
/// data's schema: a source numbers classes by the labels it saw, so a file without some class would otherwise shift
/// every index after it.
/// </summary>
public static class ClassAlignment
{
    /// <summary>
    /// <paramref name="data"/> with its class indices renumbered to <paramref name="reference"/>'s class names and
    /// <paramref name="reference"/> as its schema.
    /// </summary>
    /// <param name="data">The data to align.</param>
    /// <param name="reference">The training data's schema.</param>
    /// <param name="what">What the data is, for messages (<c>data.test_path (test.csv)</c>).</param>
    /// <exception cref="InvalidDataException">The features or targets do not match the training data's, or a class is unknown to it.</exception>
    public static InMemoryDataset AlignTo(InMemoryDataset data, DataSchema reference, string what)
    {
        ArgumentNullException.ThrowIfNull(data);
        long[]? map = Map(data.Schema, reference, what);
        if (map is null)
        {
            float[]? values = reference.Target == TargetKind.Regression ? data.Values.ToArray() : null;
            return new InMemoryDataset(reference, data.Features.ToArray(), values);
        }
        ReadOnlySpan<long> classes = data.Classes;
        var aligned = new long[classes.Length];
        for (int i = 0; i < aligned.Length; i++)
        {
            aligned[i] = map[classes[i]];
        }
        return new InMemoryDataset(reference, data.Features.ToArray(), aligned);
    }

    /// <summary>
    /// Checks that <paramref name="schema"/> fits <paramref name="reference"/> and gives, for classification, the
    /// reference's class index of each of its classes (null for other targets).
    /// </summary>
    /// <exception cref="InvalidDataException">The features or targets do not match, or a class is unknown to the reference.</exception>
    public static long[]? Map(DataSchema schema, DataSchema reference, string what)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(reference);
        if (!schema.FeatureShape.Equals(reference.FeatureShape))
        {
            throw new InvalidDataException($"{what}: examples have features of shape {schema.FeatureShape}, but the training data's have {reference.FeatureShape}; expected the same columns");
        }
        if (schema.FeatureNames.Count > 0 && reference.FeatureNames.Count > 0 && !schema.FeatureNames.SequenceEqual(reference.FeatureNames, StringComparer.Ordinal))
        {
            int at = Enumerable.Range(0, schema.FeatureNames.Count).First(i => !string.Equals(schema.FeatureNames[i], reference.FeatureNames[i], StringComparison.Ordinal));
            throw new InvalidDataException($"{what}: feature {at + 1} is '{schema.FeatureNames[at]}', but in the training data it is '{reference.FeatureNames[at]}'; expected the same columns in the same order");
        }
        if (schema.Target != reference.Target)
        {
            throw new InvalidDataException($"{what}: the target is {schema.Target}, but the training data's is {reference.Target}; expected the same label and task");
        }
        if (schema.Target != TargetKind.Classification)
        {
            return null;
        }
        var index = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int c = 0; c < reference.ClassNames.Count; c++)
        {
            index[reference.ClassNames[c]] = c;
        }
        var map = new long[schema.ClassNames.Count];
        for (int c = 0; c < map.Length; c++)
        {
            if (!index.TryGetValue(schema.ClassNames[c], out map[c]))
            {
                throw new InvalidDataException($"{what}: class '{schema.ClassNames[c]}' does not occur in the training data; expected one of {string.Join(", ", reference.ClassNames)}");
            }
        }
        return map;
    }
}
