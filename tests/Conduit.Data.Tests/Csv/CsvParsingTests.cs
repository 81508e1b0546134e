using Conduit.Data.Tests.Support;
using Conduit.Host.Data;

namespace Conduit.Data.Tests.Csv;

public sealed class CsvParsingTests
{
    [Fact]
    public void Quoted_fields_may_hold_delimiters_doubled_quotes_and_line_breaks()
    {
        using var temp = new TempFolder();
        string path = temp.Write("quoted.csv",
            "\"x, first\",\"y \"\"second\"\"\",label\n" +
            "\"1.5\",2,\"a, \"\"b\"\"\nc\"\n" +
            "3,\"4\",plain\n");

        InMemoryDataset data = CsvFiles.Load(path);

        Assert.Equal(["x, first", "y \"second\""], data.Schema.FeatureNames);
        Assert.Equal(["a, \"b\"\nc", "plain"], data.Schema.ClassNames);
        Assert.Equal([1.5f, 2f, 3f, 4f], data.Features.ToArray());
        Assert.Equal([0L, 1L], data.Classes.ToArray());
    }

    [Fact]
    public void Crlf_line_endings_a_byte_order_mark_and_blank_lines_are_read_as_expected()
    {
        using var temp = new TempFolder();
        string path = temp.Write("crlf.csv", "\uFEFFa,label\r\n1,x\r\n\r\n2,y\r\n");

        InMemoryDataset data = CsvFiles.Load(path);

        Assert.Equal(["a"], data.Schema.FeatureNames);
        Assert.Equal([1f, 2f], data.Features.ToArray());
        Assert.Equal(["x", "y"], data.Schema.ClassNames);
    }

    [Fact]
    public void A_tab_delimiter_is_written_as_backslash_t()
    {
        using var temp = new TempFolder();
        string path = temp.Write("tabs.tsv", "a\tb\tlabel\n1,5\t2\tx\n");

        InMemoryDataset data = CsvFiles.Load(path, "label", ("delimiter", "\\t"), ("features", "b"));

        Assert.Equal([2f], data.Features.ToArray());
    }

    [Fact]
    public void Without_a_header_columns_are_zero_based_indices_and_have_no_names()
    {
        using var temp = new TempFolder();
        string path = temp.Write("plain.csv", "1,2,b\n3,4,a\n");

        InMemoryDataset data = CsvFiles.Load(path, "2", ("header", "false"));

        Assert.Empty(data.Schema.FeatureNames);
        Assert.Equal([1f, 2f, 3f, 4f], data.Features.ToArray());
        Assert.Equal(["a", "b"], data.Schema.ClassNames);
        Assert.Equal([1L, 0L], data.Classes.ToArray());
    }

    [Fact]
    public void Integer_labels_are_ordered_numerically_and_other_labels_ordinally()
    {
        using var temp = new TempFolder();
        string numeric = temp.Write("numeric.csv", "a,label\n1,10\n2,9\n3,-1\n4,09\n");
        string text = temp.Write("text.csv", "a,label\n1,b\n2,B\n3,a\n4,10\n");

        InMemoryDataset numbers = CsvFiles.Load(numeric);
        InMemoryDataset words = CsvFiles.Load(text);

        Assert.Equal(["-1", "9", "10"], numbers.Schema.ClassNames);
        Assert.Equal([2L, 1L, 0L, 1L], numbers.Classes.ToArray());
        Assert.Equal(["10", "B", "a", "b"], words.Schema.ClassNames);
        Assert.Equal([3L, 1L, 2L, 0L], words.Classes.ToArray());
    }

    [Fact]
    public void Numbers_are_read_with_the_invariant_culture()
    {
        using var temp = new TempFolder();
        string path = temp.Write("numbers.csv", "a,b,c,d,label\n-0.5,1e-3, 7 ,+2.25E2,x\n");

        InMemoryDataset data = CsvFiles.Load(path);

        Assert.Equal([-0.5f, 1e-3f, 7f, 225f], data.Features.ToArray());
    }
}
