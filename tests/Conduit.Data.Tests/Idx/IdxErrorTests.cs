using Conduit.Data.Tests.Support;
using Conduit.DataSources.Idx;
using Conduit.Host.Data;

namespace Conduit.Data.Tests.Idx;

/// <summary>Bad files and settings fail with the file, the place, the value and what was expected.</summary>
public sealed class IdxErrorTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Bytes(string name, params byte[] bytes)
    {
        string path = Path.Combine(_temp.Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void A_missing_file_is_named_with_the_setting()
    {
        string images = IdxFiles.Write(Path.Combine(_temp.Path, "x.idx"), IdxFiles.UByte, [1, 1], [0]);
        string nope = Path.Combine(_temp.Path, "nope.idx");

        Assert.Equal($"{nope}: the file does not exist; expected an IDX file (data.path)", IdxSource.Error(("path", nope)));
        Assert.Equal($"{nope}: the file does not exist; expected an IDX file (data.labels)", IdxSource.Error(("path", images), ("labels", nope)));
    }

    [Fact]
    public void Bad_headers_name_the_byte_its_value_and_what_was_expected()
    {
        Assert.Equal("empty.idx: the file is empty; expected an IDX header (0x00 0x00, a type code, the number of dimensions)",
            IdxSource.Error(("path", Bytes("empty.idx"))));
        Assert.Equal("short.idx: the file ends after 3 bytes, inside the IDX header; expected at least 4 (0x00 0x00, a type code, the number of dimensions)",
            IdxSource.Error(("path", Bytes("short.idx", 0, 0, 8))));
        Assert.Equal("digits.csv: byte 0 is 0x70; expected 0x00 (an IDX file starts with two zero bytes; is this the right file?)",
            IdxSource.Error(("path", _temp.Write("digits.csv", "p0,p1,label\n1,2,3\n"))));
        Assert.Equal("one.idx: byte 1 is 0x01; expected 0x00 (an IDX file starts with two zero bytes; is this the right file?)",
            IdxSource.Error(("path", Bytes("one.idx", 0, 1, 8, 1, 0, 0, 0, 1, 5))));
        Assert.Equal("type.idx: byte 2 (the type code) is 0x07; expected one of 0x08 (ubyte), 0x09 (sbyte), 0x0B (int16), 0x0C (int32), 0x0D (float32), 0x0E (float64)",
            IdxSource.Error(("path", Bytes("type.idx", 0, 0, 0x07, 1, 0, 0, 0, 0))));
        Assert.Equal("rank0.idx: byte 3 (the number of dimensions) is 0; expected at least 1 (the first dimension counts the examples)",
            IdxSource.Error(("path", Bytes("rank0.idx", 0, 0, 8, 0))));
        Assert.Equal("dims.idx: the file ends after 8 bytes, inside the header; expected 3 dimensions of 4 bytes each after byte 3 (16 bytes)",
            IdxSource.Error(("path", Bytes("dims.idx", 0, 0, 8, 3, 0, 0, 0, 1))));
        Assert.Equal("negative.idx: dimension 0 (bytes 4-7) is -1; expected 0 or more examples",
            IdxSource.Error(("path", Bytes("negative.idx", 0, 0, 8, 1, 0xFF, 0xFF, 0xFF, 0xFF))));
        Assert.Equal("zero.idx: dimension 1 (bytes 8-11) is 0; expected at least 1",
            IdxSource.Error(("path", Bytes("zero.idx", 0, 0, 8, 2, 0, 0, 0, 1, 0, 0, 0, 0))));
        Assert.Equal("none.idx: the header declares 0 examples (shape [0, 3]); expected at least one",
            IdxSource.Error(("path", Bytes("none.idx", 0, 0, 8, 2, 0, 0, 0, 0, 0, 0, 0, 3))));
    }

    [Fact]
    public void A_header_inside_gzip_is_checked_the_same_way()
    {
        string path = Path.Combine(_temp.Path, "type.idx.gz");
        IdxFiles.WriteBytes(path, [0, 0, 0x0A, 1, 0, 0, 0, 1, 0], gzip: true);

        Assert.StartsWith("type.idx.gz: byte 2 (the type code) is 0x0A; expected one of 0x08 (ubyte)", IdxSource.Error(("path", path)));
    }

    [Fact]
    public void A_file_cut_short_or_too_long_fails_when_opened_naming_the_example()
    {
        string cut = IdxFiles.Write(Path.Combine(_temp.Path, "cut.idx"), IdxFiles.UByte, [10, 4, 4], new double[160]);
        File.WriteAllBytes(cut, File.ReadAllBytes(cut)[..^20]);
        string cutFloat = IdxFiles.Write(Path.Combine(_temp.Path, "cut-float.idx"), IdxFiles.Float64, [3, 2], new double[6]);
        File.WriteAllBytes(cutFloat, File.ReadAllBytes(cutFloat)[..^1]);
        string longer = IdxFiles.Write(Path.Combine(_temp.Path, "long.idx"), IdxFiles.UByte, [2, 2], new double[5]);

        Assert.Equal("cut.idx: the header declares 10 examples of ubyte shape [10, 4, 4] (176 bytes), but the file ends after 156 bytes, in example 8; expected the whole file (is it cut short?)",
            IdxSource.Error(("path", cut)));
        Assert.Equal("cut-float.idx: the header declares 3 examples of float64 shape [3, 2] (60 bytes), but the file ends after 59 bytes, in example 2; expected the whole file (is it cut short?)",
            IdxSource.Error(("path", cutFloat)));
        Assert.Equal("long.idx: the header declares 2 examples of ubyte shape [2, 2] (16 bytes), but the file has 1 more bytes; expected exactly 16",
            IdxSource.Error(("path", longer)));
    }

    [Fact]
    public void A_gzip_file_cut_short_fails_when_opened_by_its_recorded_size()
    {
        string path = IdxFiles.Write(Path.Combine(_temp.Path, "cut.idx.gz"), IdxFiles.UByte, [2000, 8, 8], [.. Enumerable.Range(0, 128_000).Select(i => (double)(i * 7919 % 256))], gzip: true);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        string tiny = Bytes("tiny.idx.gz", 0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3);

        Assert.Matches(@"^cut\.idx\.gz: the header declares 2000 examples of ubyte shape \[2000, 8, 8\] \(128016 bytes\), but the gzip trailer records \d+ bytes \(modulo 4 GiB\); expected 128016 \(is the file cut short or damaged\?\)$",
            IdxSource.Error(("path", path)));
        Assert.StartsWith("tiny.idx.gz: the header cannot be read: ", IdxSource.Error(("path", tiny)));
    }

    [Fact]
    public void A_gzip_stream_that_ends_early_behind_a_matching_trailer_fails_when_read_naming_the_example()
    {
        // Seven and a half examples compressed, with the trailer's size patched to what the header declares.
        byte[] whole = File.ReadAllBytes(IdxFiles.Write(Path.Combine(_temp.Path, "plain.idx"), IdxFiles.UByte, [10, 4, 4], [.. Enumerable.Range(0, 160).Select(i => (double)i)]));
        string path = Path.Combine(_temp.Path, "cut.idx.gz");
        IdxFiles.WriteBytes(path, whole[..(16 + (7 * 16) + 8)], gzip: true);
        byte[] packed = File.ReadAllBytes(path);
        BitConverter.TryWriteBytes(packed.AsSpan(packed.Length - 4), (uint)whole.Length);
        File.WriteAllBytes(path, packed);

        string message = IdxSource.ReadError(("path", path));

        // zlib reports the bad trailer as a data error, or the stream ends first: either way example 7 is named.
        Assert.Matches(@"^cut\.idx\.gz: (cannot be read in example 7: |the data ends in example 7; )", message);
    }

    [Fact]
    public void A_gzip_file_with_more_data_than_declared_fails_when_opened()
    {
        byte[] whole = File.ReadAllBytes(IdxFiles.Write(Path.Combine(_temp.Path, "plain.idx"), IdxFiles.UByte, [2, 2], [1, 2, 3, 4]));
        string path = Path.Combine(_temp.Path, "long.idx.gz");
        IdxFiles.WriteBytes(path, [.. whole, 9, 9], gzip: true);

        Assert.Equal("long.idx.gz: the header declares 2 examples of ubyte shape [2, 2] (16 bytes), but the gzip trailer records 18 bytes (modulo 4 GiB); expected 16 (is the file cut short or damaged?)",
            IdxSource.Error(("path", path)));
    }

    [Fact]
    public void Labels_must_have_one_per_example_and_be_integer_classes_of_rank_1()
    {
        string images = IdxFiles.Write(Path.Combine(_temp.Path, "x.idx"), IdxFiles.UByte, [3, 2], new double[6]);
        string floats = IdxFiles.Write(Path.Combine(_temp.Path, "floats.idx"), IdxFiles.Float32, [3], [1, 2, 3]);
        string two = IdxFiles.Write(Path.Combine(_temp.Path, "two.idx"), IdxFiles.UByte, [2], [1, 2], gzip: true);
        string matrix = IdxFiles.Write(Path.Combine(_temp.Path, "matrix.idx"), IdxFiles.UByte, [3, 1], [1, 2, 3]);
        string cut = IdxFiles.Write(Path.Combine(_temp.Path, "cut.idx"), IdxFiles.UByte, [3], [1, 2, 3]);
        File.WriteAllBytes(cut, File.ReadAllBytes(cut)[..^1]);

        Assert.Equal("two.idx: the header declares 2 labels (shape [2]), but x.idx has 3 examples (shape [3, 2]); expected one label per example (data.labels)",
            IdxSource.Error(("path", images), ("labels", two)));
        Assert.Equal("floats.idx: labels of float32 shape [3]; expected one integer class label per example (rank 1, ubyte, sbyte, int16 or int32), or task: regression for number targets",
            IdxSource.Error(("path", images), ("labels", floats)));
        Assert.Equal("matrix.idx: labels of ubyte shape [3, 1]; expected one integer class label per example (rank 1, ubyte, sbyte, int16 or int32), or task: regression for number targets",
            IdxSource.Error(("path", images), ("labels", matrix)));
        Assert.Equal("cut.idx: the header declares 3 examples of ubyte shape [3] (11 bytes), but the file ends after 10 bytes, in example 2; expected the whole file (is it cut short?)",
            IdxSource.Error(("path", images), ("labels", cut)));
        Assert.Equal(3, IdxSource.Open(("path", images), ("labels", floats), ("task", "regression")).Count);
    }

    [Fact]
    public void NaN_stops_when_read_with_the_example_and_element()
    {
        double[] values = new double[12];
        values[4 + 3] = double.NaN;
        string image = IdxFiles.Write(Path.Combine(_temp.Path, "nan.idx"), IdxFiles.Float32, [3, 2, 2], values);
        string vector = IdxFiles.Write(Path.Combine(_temp.Path, "vector.idx.gz"), IdxFiles.Float64, [2, 3], [1, 2, 3, 4, double.NaN, 6], gzip: true);

        Assert.Equal("nan.idx: example 1, element 3 (at [1, 1] of [2, 2]) is NaN; expected a number (a NaN is a missing value; data.missing: skip leaves the example out, fill puts fill_value in its place)",
            IdxSource.ReadError(("path", image)));
        Assert.Equal("vector.idx.gz: example 1, element 1 is NaN; expected a number (a NaN is a missing value; data.missing: skip leaves the example out, fill puts fill_value in its place)",
            IdxSource.ReadError(("path", vector)));
    }

    [Fact]
    public async Task NaN_is_left_out_or_filled_when_the_job_says_so()
    {
        string path = IdxFiles.Write(Path.Combine(_temp.Path, "nan.idx"), IdxFiles.Float32, [3, 2], [1, 2, double.NaN, 4, 5, 6]);
        string labels = IdxFiles.Write(Path.Combine(_temp.Path, "y.idx"), IdxFiles.UByte, [3], [7, 8, 9]);
        var logger = new ListLogger<IdxDataSource>();

        IDataset skipped = IdxSource.Open(logger, ("path", path), ("labels", labels), ("missing", "skip"));
        InMemoryDataset kept = await InMemoryDataset.LoadAsync(skipped);
        InMemoryDataset filled = IdxSource.Load(("path", path), ("missing", "fill"), ("fill_value", "-1"));

        Assert.Equal(2, skipped.Count);
        Assert.Equal([1f, 2, 5, 6], kept.Features.ToArray());
        Assert.Equal(["7", "8", "9"], skipped.Schema.ClassNames);
        Assert.Equal([0L, 2], kept.Classes.ToArray());
        Assert.Contains(logger.Warnings, w => w.Contains("Left out 1 examples of", StringComparison.Ordinal) && w.Contains("nan.idx", StringComparison.Ordinal));
        Assert.Equal([1f, 2, -1, 4, 5, 6], filled.Features.ToArray());
        Assert.Equal(3, filled.Length);
    }

    [Fact]
    public void All_examples_holding_NaN_leave_nothing_to_train_on()
    {
        string path = IdxFiles.Write(Path.Combine(_temp.Path, "nan.idx"), IdxFiles.Float64, [2, 1], [double.NaN, double.NaN]);

        Assert.Equal("nan.idx: all 2 examples hold NaN and were left out (data.missing: skip); expected at least one complete example",
            IdxSource.Error(("path", path), ("missing", "skip")));
    }

    [Fact]
    public void A_NaN_regression_target_is_never_filled_in()
    {
        string images = IdxFiles.Write(Path.Combine(_temp.Path, "x.idx"), IdxFiles.UByte, [3, 1], [1, 2, 3]);
        string targets = IdxFiles.Write(Path.Combine(_temp.Path, "y.idx"), IdxFiles.Float32, [3, 2], [0.5, 1, 2, double.NaN, 3, 4]);

        Assert.Equal("y.idx: example 1, target 1 is NaN; expected a number (a missing target is never filled in; data.missing: skip leaves the example out)",
            IdxSource.ReadError(("path", images), ("labels", targets), ("task", "regression")));
        Assert.Equal("y.idx: example 1, target 1 is NaN; expected a number (a missing target is never filled in; data.missing: skip leaves the example out)",
            IdxSource.ReadError(("path", images), ("labels", targets), ("task", "regression"), ("missing", "fill")));
        InMemoryDataset kept = IdxSource.Load(("path", images), ("labels", targets), ("task", "regression"), ("missing", "skip"));
        Assert.Equal([1f, 3], kept.Features.ToArray());
        Assert.Equal([0.5f, 1, 3, 4], kept.Values.ToArray());
    }

    [Fact]
    public void A_shape_that_does_not_hold_an_example_is_refused()
    {
        string path = IdxFiles.Write(Path.Combine(_temp.Path, "x.idx"), IdxFiles.UByte, [2, 2, 6], new double[24]);

        Assert.Equal("data.shape: [4, 4] holds 16 values, but an example of x.idx holds 12 (file shape [2, 2, 6]); expected dimensions whose product is 12",
            IdxSource.Error(("path", path), ("shape", "4,4")));
    }

    [Fact]
    public void Dimensions_whose_product_overflows_are_refused_not_wrapped()
    {
        // Found by fuzzing: 65536^4 is 2^64, which a long holds as 0, so the header declared a 24-byte file of empty examples.
        string path = Bytes("overflow.idx", [0, 0, 8, 5, 0, 0, 0, 1, .. Enumerable.Repeat<byte[]>([0, 1, 0, 0], 4).SelectMany(d => d)]);

        Assert.Equal("overflow.idx: one example of shape [65536, 65536, 65536, 65536] holds 18446744073709551616 values of 1 bytes; expected at most 2147483591 bytes per example",
            IdxSource.Error(("path", path)));
    }

    [Fact]
    public void A_gzip_trailer_that_agrees_with_a_lying_header_is_refused_before_allocating_the_claim()
    {
        // Found by fuzzing: a 130-byte gzip file whose header declares 3143 float32 examples of 12732115 values (160 GB)
        // and whose trailer was written to agree; reading it allocated gigabytes before the inflated bytes ran out.
        string path = Path.Combine(_temp.Path, "lying-idx3-ubyte.gz");
        File.WriteAllBytes(path, Convert.FromBase64String(
            "H4sIAAAAAAAEA2Ng4GViYOBxZzjkdnmzSD/X9OJDD1+/1p/Xe+1dwFuv6wcaXQyq1ofelS08Jzyn9rxpy34H1xfX1vZ6Sm1wc7myoFabLTCq9rbYvYbVqc+e8kTMs4hVai8uOHB4Vf6kLywZGzNbTwaE1Wa81DpZCACOa7w5ICLORA=="));
        long before = GC.GetAllocatedBytesForCurrentThread();

        string message = IdxSource.Error(("path", path));

        Assert.Equal($"lying-idx3-ubyte.gz: the header declares 3143 examples of float32 shape [3143, 12732115] (160068149792 bytes), but a gzip file of {new FileInfo(path).Length} bytes inflates to at most {new FileInfo(path).Length * 1032}; expected the whole file (is it cut short or damaged?)", message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
    }

    [Fact]
    public void Bad_settings_are_all_named_at_once()
    {
        string message = IdxSource.Error(("scale", "0"), ("task", "clustering"), ("shape", "3,x"), ("on_error", "skip"));

        Assert.Equal(string.Join("\n",
            "data.path: is missing; expected the IDX file of features, such as data/train-images-idx3-ubyte.gz",
            "data.task: 'clustering' is not allowed; expected one of classification, regression",
            "data.task: 'classification' needs data.labels; expected the IDX file of labels (data.labels), or no task for data without targets",
            "data.scale: '0' is not allowed; expected a number greater than 0 (features are value / scale, e.g. 255 for bytes in [0, 1])",
            "data.shape.1: 'x' is not allowed; expected an integer of at least 1",
            "data.on_error: 'skip' is not allowed; expected stop (an IDX file has no examples that can be bad on their own; use missing: skip for NaN values)"), message);
    }
}
