using Conduit.DataSources.Common;

namespace Conduit.Data.Tests.Streaming;

public sealed class BatchBuilderTests
{
    private static readonly DataSchema Regression = new(new TensorShape(1, 2), [], TargetKind.Regression, []);

    [Fact]
    public void An_example_counts_only_once_committed()
    {
        var builder = new BatchBuilder(ArrayStream.SchemaOf(2), 4);

        builder.NextFeatures().Fill(9); // a row found bad halfway: never committed
        builder.Add([1f, 2f], 1);

        DataBatch batch = builder.ToBatch();
        Assert.Equal(1, batch.Count);
        Assert.Equal([1f, 2f], ((TensorBuffer<float>)batch.Features).Memory.ToArray());
        Assert.Equal([1L], ((TensorBuffer<long>)batch.Targets!).Memory.ToArray());
    }

    [Fact]
    public void Regression_targets_have_a_width_and_features_keep_their_shape()
    {
        var builder = new BatchBuilder(Regression, 3, targetWidth: 2);
        builder.Add([1f, 2f], [10f, 20f]);
        builder.Add([3f, 4f], [30f, 40f]);

        DataBatch batch = builder.ToBatch();

        Assert.Equal(new TensorShape(2, 1, 2), batch.Features.Shape);
        Assert.Equal(new TensorShape(2, 2), batch.Targets!.Shape);
        Assert.Equal([10f, 20f, 30f, 40f], ((TensorBuffer<float>)batch.Targets).Memory.ToArray());
    }

    [Fact]
    public void Copying_from_a_batch_of_another_layout_is_refused_with_what_was_expected()
    {
        var builder = new BatchBuilder(ArrayStream.SchemaOf(2), 4);
        var other = new DataBatch(new TensorBuffer<float>(new float[3], new TensorShape(1, 3)), new TensorBuffer<long>(new long[1], new TensorShape(1)));
        var doubles = new DataBatch(new TensorBuffer<double>(new double[2], new TensorShape(1, 2)), null);

        Assert.Contains("do not hold examples of shape [2]", Assert.Throws<ArgumentException>(() => builder.Add(other, 0)).Message, StringComparison.Ordinal);
        Assert.Contains("are Double; expected Single (float)", Assert.Throws<ArgumentException>(() => builder.Add(doubles, 0)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_full_batch_refuses_more()
    {
        var builder = new BatchBuilder(ArrayStream.SchemaOf(2), 1);
        builder.Add([1f, 2f], 0);

        Assert.True(builder.IsFull);
        Assert.Throws<InvalidOperationException>(() => builder.NextFeatures());
        builder.Clear();
        Assert.Equal(0, builder.Count);
    }

    [Fact]
    public void A_slot_is_one_of_the_examples_held()
    {
        var builder = new BatchBuilder(ArrayStream.SchemaOf(2), 4);
        builder.Add([1f, 2f], 1);
        builder.Add([3f, 4f], 0);
        var output = new BatchBuilder(ArrayStream.SchemaOf(2), 4);

        builder.RemoveSwapLast(0);
        builder.CopyTo(0, output);

        Assert.Equal([3f, 4f], ((TensorBuffer<float>)output.ToBatch().Features).Memory.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.CopyTo(1, output));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Overwrite(-1, output.ToBatch(), 0));
    }
}
