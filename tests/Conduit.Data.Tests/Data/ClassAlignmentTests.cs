using Conduit.Host.Data;

namespace Conduit.Data.Tests.Data;

public sealed class ClassAlignmentTests
{
    private static readonly DataSchema Training = new(new TensorShape(1), ["x"], TargetKind.Classification, ["cat", "dog", "eel"]);

    [Fact]
    public void Classes_of_a_separate_file_are_renumbered_by_name()
    {
        // A test file without "cat": its own numbering has dog = 0, eel = 1.
        var test = new InMemoryDataset(Training with { ClassNames = ["dog", "eel"] }, [1f, 2f, 3f], [1, 0, 1]);

        InMemoryDataset aligned = ClassAlignment.AlignTo(test, Training, "data.test_path (test.csv)");

        Assert.Same(Training, aligned.Schema);
        Assert.Equal([2L, 1L, 2L], aligned.Classes.ToArray());
        Assert.Equal([1f, 2f, 3f], aligned.Features.ToArray());
    }

    [Fact]
    public void A_class_the_training_data_lacks_is_refused()
    {
        var test = new InMemoryDataset(Training with { ClassNames = ["cow"] }, [1f], [0]);

        var error = Assert.Throws<InvalidDataException>(() => ClassAlignment.AlignTo(test, Training, "data.test_path (test.csv)"));

        Assert.Equal("data.test_path (test.csv): class 'cow' does not occur in the training data; expected one of cat, dog, eel", error.Message);
    }

    [Fact]
    public void Other_features_are_refused()
    {
        var wide = new InMemoryDataset(Training with { FeatureShape = new TensorShape(2), FeatureNames = ["x", "y"] }, [1f, 2f], [0]);
        var renamed = new InMemoryDataset(Training with { FeatureNames = ["y"] }, [1f], [0]);

        Assert.Equal("v.csv: examples have features of shape [2], but the training data's have [1]; expected the same columns",
            Assert.Throws<InvalidDataException>(() => ClassAlignment.AlignTo(wide, Training, "v.csv")).Message);
        Assert.Equal("v.csv: feature 1 is 'y', but in the training data it is 'x'; expected the same columns in the same order",
            Assert.Throws<InvalidDataException>(() => ClassAlignment.AlignTo(renamed, Training, "v.csv")).Message);
    }
}
