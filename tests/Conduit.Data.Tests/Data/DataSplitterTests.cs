using Conduit.Data.Tests.Support;
using Conduit.Host.Data;

namespace Conduit.Data.Tests.Data;

public sealed class DataSplitterTests
{
    private static readonly Lazy<InMemoryDataset> Digits = new(() => CsvFiles.Load(CsvFiles.Sample("digits.csv")));

    [Fact]
    public void A_stratified_20_percent_test_split_of_digits_holds_360_rows_in_class_proportion()
    {
        InMemoryDataset digits = Digits.Value;

        DataSplit split = DataSplitter.Split(digits, new SplitSettings(Validation: 0, Test: 0.2, Seed: 42));

        Assert.Null(split.Validation);
        Assert.NotNull(split.Test);
        Assert.Equal(360, split.Test.Length);
        Assert.Equal(1437, split.Train.Length);
        int[] all = ClassCounts(digits);
        int[] test = ClassCounts(split.Test);
        for (int c = 0; c < 10; c++)
        {
            double proportional = all[c] * 360.0 / 1797;
            Assert.True(Math.Abs(test[c] - proportional) < 1, $"class {c}: {test[c]} test rows, proportional {proportional:F2}");
        }
    }

    [Fact]
    public void A_split_in_place_gives_the_parts_a_copying_split_gives()
    {
        var settings = new SplitSettings(Validation: 0.1, Test: 0.2, Seed: 7);
        DataSplit copied = DataSplitter.Split(Digits.Value, settings);
        InMemoryDataset own = Digits.Value.Subset([.. Enumerable.Range(0, Digits.Value.Length)]);

        DataSplit shared = DataSplitter.SplitInPlace(own, settings);

        foreach ((InMemoryDataset a, InMemoryDataset b) in new[] { (copied.Train, shared.Train), (copied.Validation!, shared.Validation!), (copied.Test!, shared.Test!) })
        {
            Assert.True(a.Features.SequenceEqual(b.Features));
            Assert.True(a.Classes.SequenceEqual(b.Classes));
        }
        Assert.Equal(copied.TrainRows, shared.TrainRows);
    }

    [Fact]
    public void Validation_and_test_sizes_round_up_like_scikit_learn()
    {
        DataSplit split = DataSplitter.Split(Digits.Value, new SplitSettings(Validation: 0.1, Test: 0.2, Seed: 7));

        Assert.Equal(180, split.Validation!.Length);
        Assert.Equal(360, split.Test!.Length);
        Assert.Equal(1797 - 180 - 360, split.Train.Length);
        Assert.Equal(360, DataSplitter.PartSize(1797, 0.2));
        Assert.Equal(1, DataSplitter.PartSize(3, 0.01));
        Assert.Equal(0, DataSplitter.PartSize(3, 0));
    }

    [Fact]
    public void The_parts_are_disjoint_cover_every_row_and_hold_those_rows()
    {
        InMemoryDataset digits = Digits.Value;

        DataSplit split = DataSplitter.Split(digits, new SplitSettings(Validation: 0.15, Test: 0.25, Seed: 3));

        int[] rows = [.. split.TrainRows, .. split.ValidationRows, .. split.TestRows];
        Assert.Equal(Enumerable.Range(0, digits.Length), rows.Order());
        AssertHolds(digits, split.TrainRows, split.Train);
        AssertHolds(digits, split.ValidationRows, split.Validation!);
        AssertHolds(digits, split.TestRows, split.Test!);
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_and_another_seed_another()
    {
        var settings = new SplitSettings(Validation: 0.1, Test: 0.2, Seed: 42);

        DataSplit first = DataSplitter.Split(Digits.Value, settings);
        DataSplit again = DataSplitter.Split(Digits.Value, settings);
        DataSplit other = DataSplitter.Split(Digits.Value, settings with { Seed = 43 });

        Assert.Equal(first.TestRows, again.TestRows);
        Assert.Equal(first.ValidationRows, again.ValidationRows);
        Assert.Equal(first.TrainRows, again.TrainRows);
        Assert.NotEqual(first.TestRows.Order(), other.TestRows.Order());
        Assert.Equal(ClassCounts(first.Test!), ClassCounts(other.Test!));
    }

    [Fact]
    public void Regression_data_is_split_by_a_plain_seeded_shuffle()
    {
        InMemoryDataset iris = CsvFiles.Load(CsvFiles.Sample("iris.csv"), "petal_width", ("task", "regression"));

        DataSplit split = DataSplitter.Split(iris, new SplitSettings(Validation: 0.1, Test: 0.3, Seed: 1));
        DataSplit again = DataSplitter.Split(iris, new SplitSettings(Validation: 0.1, Test: 0.3, Seed: 1));

        Assert.Equal(15, split.Validation!.Length);
        Assert.Equal(45, split.Test!.Length);
        Assert.Equal(90, split.Train.Length);
        Assert.Equal(split.TestRows, again.TestRows);
        Assert.Equal(split.TestRows.Select(r => iris.Values[r]), split.Test.Values.ToArray());
        Assert.NotEqual(Enumerable.Range(0, 45), split.TestRows);
    }

    [Fact]
    public void Tiny_classes_still_give_exact_totals()
    {
        // Classes of 1, 2 and 17 examples: shares are capped by what each class holds.
        long[] classes = [0, 1, 1, .. Enumerable.Repeat(2L, 17)];
        var schema = new DataSchema(new TensorShape(1), [], TargetKind.Classification, ["a", "b", "c"]);
        var data = new InMemoryDataset(schema, [.. Enumerable.Range(0, classes.Length).Select(i => (float)i)], classes);

        DataSplit split = DataSplitter.Split(data, new SplitSettings(Validation: 0.3, Test: 0.4, Seed: 5));

        Assert.Equal(8, split.Test!.Length);
        Assert.Equal(6, split.Validation!.Length);
        Assert.Equal(6, split.Train.Length);
        Assert.Equal(Enumerable.Range(0, 20), split.TrainRows.Concat(split.ValidationRows).Concat(split.TestRows).Order());
    }

    [Theory]
    [InlineData(-0.1, 0.2)]
    [InlineData(0.1, 1.0)]
    [InlineData(0.5, 0.5)]
    [InlineData(double.NaN, 0.2)]
    public void Fractions_outside_0_to_1_or_adding_up_to_1_are_refused(double validation, double test)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSplitter.Split(Digits.Value, new SplitSettings(validation, test)));
    }

    [Fact]
    public void A_split_that_leaves_no_training_row_is_refused()
    {
        var schema = new DataSchema(new TensorShape(1), [], TargetKind.Regression, []);
        var data = new InMemoryDataset(schema, [1f, 2f], [1f, 2f]);

        var error = Assert.Throws<InvalidDataException>(() => DataSplitter.Split(data, new SplitSettings(Validation: 0.4, Test: 0.5)));

        Assert.Equal("2 examples are too few for a validation split of 0.4 (1) and a test split of 0.5 (1): no training example would remain.", error.Message);
    }

    private static int[] ClassCounts(InMemoryDataset data)
    {
        var counts = new int[data.Schema.ClassNames.Count];
        foreach (long c in data.Classes)
        {
            counts[c]++;
        }
        return counts;
    }

    private static void AssertHolds(InMemoryDataset source, IReadOnlyList<int> rows, InMemoryDataset part)
    {
        InMemoryDataset expected = source.Subset([.. rows]);
        Assert.True(expected.Features.SequenceEqual(part.Features));
        Assert.True(expected.Classes.SequenceEqual(part.Classes));
    }
}
