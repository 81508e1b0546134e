using Conduit.Data;

namespace Conduit.Host.Data;

/// <summary>
/// Splits a dataset into train, validation and test parts by fractions and a seed: stratified by class for
/// classification (every class split in the same proportions), a plain seeded shuffle otherwise.
/// </summary>
/// <remarks>
/// Like scikit-learn's <c>train_test_split</c>, a part of fraction f of n examples holds <c>ceil(n × f)</c> of them
/// (a 0.2 test split of 1797 digits holds 360). Within a stratified part the per-class counts are shared out by the
/// largest remainder, so they add up to exactly that and each is within 1 of its class's proportion. With nothing split
/// off, the training part is the data in its own order.
/// </remarks>
public static class DataSplitter
{
    // The split's shuffle is not any epoch's batch order (epochs count from 0).
    private const int SplitEpoch = -1;

    private const byte ToTrain = 0;
    private const byte ToValidation = 1;
    private const byte ToTest = 2;

    /// <summary>Splits <paramref name="data"/> as <paramref name="split"/> says.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A fraction is outside [0, 1), or they add up to 1 or more.</exception>
    /// <exception cref="InvalidDataException">The data is too small to leave a training example.</exception>
    public static DataSplit Split(InMemoryDataset data, SplitSettings split)
    {
        (List<int> train, List<int> validation, List<int> test) = Assign(data, split);
        return new DataSplit(
            data.Subset(train.ToArray()),
            validation.Count > 0 ? data.Subset(validation.ToArray()) : null,
            test.Count > 0 ? data.Subset(test.ToArray()) : null)
        {
            TrainRows = train,
            ValidationRows = validation,
            TestRows = test,
        };
    }

    /// <summary>
    /// Splits <paramref name="data"/> as <see cref="Split"/> does, into the same parts in the same order, but without
    /// copying: its rows are reordered in place and the parts share its memory. <paramref name="data"/> is used up.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A fraction is outside [0, 1), or they add up to 1 or more.</exception>
    /// <exception cref="InvalidDataException">The data is too small to leave a training example.</exception>
    public static DataSplit SplitInPlace(InMemoryDataset data, SplitSettings split)
    {
        (List<int> train, List<int> validation, List<int> test) = Assign(data, split);
        if (validation.Count == 0 && test.Count == 0)
        {
            // Nothing split off: the data is the training part as it is, without a pass over it.
            return new DataSplit(data, null, null) { TrainRows = train, ValidationRows = validation, TestRows = test };
        }
        (InMemoryDataset trainPart, InMemoryDataset validationPart, InMemoryDataset testPart) =
            data.Partition([.. train, .. validation, .. test], train.Count, validation.Count);
        return new DataSplit(trainPart, validation.Count > 0 ? validationPart : null, test.Count > 0 ? testPart : null)
        {
            TrainRows = train,
            ValidationRows = validation,
            TestRows = test,
        };
    }

    // The source rows of each part, each in the split's shuffled order.
    private static (List<int> Train, List<int> Validation, List<int> Test) Assign(InMemoryDataset data, SplitSettings split)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(split);
        CheckFraction(split.Validation, nameof(split.Validation));
        CheckFraction(split.Test, nameof(split.Test));
        if (split.Validation + split.Test >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(split), $"Validation {split.Validation} and test {split.Test} add up to 1 or more, which leaves nothing to train on.");
        }
        int n = data.Length;
        int testCount = PartSize(n, split.Test);
        int validationCount = PartSize(n, split.Validation);
        if (n - testCount - validationCount < 1)
        {
            throw new InvalidDataException($"{n} examples are too few for a validation split of {split.Validation} ({validationCount}) and a test split of {split.Test} ({testCount}): no training example would remain.");
        }

        if (testCount == 0 && validationCount == 0)
        {
            // Nothing to split off: training keeps the data's own order (each epoch's shuffle, if any, reorders it).
            return ([.. Enumerable.Range(0, n)], [], []);
        }
        int[] order = SeededShuffle.Permutation(n, split.Seed, SplitEpoch);
        byte[] parts = split.Stratify && data.Schema.Target == TargetKind.Classification
            ? Stratified(data, order, validationCount, testCount)
            : Plain(order, validationCount, testCount);

        var train = new List<int>(n - testCount - validationCount);
        var validation = new List<int>(validationCount);
        var test = new List<int>(testCount);
        foreach (int row in order)
        {
            (parts[row] switch { ToTest => test, ToValidation => validation, _ => train }).Add(row);
        }
        return (train, validation, test);
    }

    /// <summary>How many of <paramref name="count"/> examples a part of <paramref name="fraction"/> holds: <c>ceil(count × fraction)</c>.</summary>
    public static int PartSize(int count, double fraction) => (int)Math.Ceiling(count * fraction);

    // The first examples of the shuffled order go to test, the next to validation, the rest to training.
    private static byte[] Plain(int[] order, int validationCount, int testCount)
    {
        var parts = new byte[order.Length];
        for (int i = 0; i < order.Length; i++)
        {
            parts[order[i]] = i < testCount ? ToTest : i < testCount + validationCount ? ToValidation : ToTrain;
        }
        return parts;
    }

    // Each class's examples, in shuffled order, go first to test, then to validation, in the shares allotted to the class.
    private static byte[] Stratified(InMemoryDataset data, int[] order, int validationCount, int testCount)
    {
        ReadOnlySpan<long> classes = data.Classes;
        int classCount = data.Schema.ClassNames.Count;
        var sizes = new int[classCount];
        foreach (long c in classes)
        {
            if ((ulong)c >= (ulong)classCount)
            {
                throw new InvalidDataException($"Class index {c} is outside the {classCount} classes of the schema.");
            }
            sizes[c]++;
        }
        int[] testShares = ProportionalAllocation.Allocate(sizes, sizes, testCount);
        int[] left = [.. sizes.Select((size, c) => size - testShares[c])];
        int[] validationShares = ProportionalAllocation.Allocate(sizes, left, validationCount);

        var parts = new byte[order.Length];
        var taken = new int[classCount];
        foreach (int row in order)
        {
            long c = classes[row];
            int k = taken[c]++;
            parts[row] = k < testShares[c] ? ToTest : k < testShares[c] + validationShares[c] ? ToValidation : ToTrain;
        }
        return parts;
    }

    private static void CheckFraction(double fraction, string name)
    {
        if (!(fraction >= 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(name, fraction, "A split fraction must be at least 0 and below 1.");
        }
    }
}
