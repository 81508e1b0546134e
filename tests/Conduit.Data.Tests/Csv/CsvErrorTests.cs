using Conduit.Data.Tests.Support;
using Conduit.DataSources.Csv;

namespace Conduit.Data.Tests.Csv;

public sealed class CsvErrorTests : IDisposable
{
    private const string Header = "a,b,label\n";
    private const string Expected = "expected a number such as 3, -0.5 or 1e-3";
    private const string NotFilled = " (missing values are not filled in unless data.missing is skip or fill)";
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_bad_value_in_the_digits_names_file_line_column_and_value()
    {
        string[] lines = File.ReadAllLines(CsvFiles.Sample("digits.csv"));
        string[] fields = lines[13].Split(',');
        fields[2] = "abc";
        lines[13] = string.Join(',', fields);
        string path = Path.Combine(_temp.Path, "digits.csv");
        File.WriteAllLines(path, lines);

        string message = CsvFiles.Error(path, ("label", "label"));

        Assert.Equal($"digits.csv:14:col 3 (p2): 'abc' is not a number; {Expected}", message);
    }

    [Fact]
    public void A_missing_file_names_the_full_path()
    {
        string path = Path.Combine(_temp.Path, "nope.csv");

        Assert.Equal($"{path}: the file does not exist; expected a CSV file (data.path)", CsvFiles.Error(path, ("label", "label")));
    }

    [Fact]
    public void A_relative_path_is_read_against_the_current_directory()
    {
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, CsvFiles.Sample("iris.csv"));

        Assert.False(Path.IsPathRooted(relative));
        Assert.Equal(150, CsvFiles.Load(relative, "species").Length);
    }

    [Fact]
    public void An_empty_file_and_a_header_without_rows_are_refused()
    {
        Assert.Equal("empty.csv:1: the file is empty; expected a header row and rows of data",
            CsvFiles.Error(_temp.Write("empty.csv", ""), ("label", "label")));
        Assert.Equal("header.csv:2: no rows of data after the header; expected at least one",
            CsvFiles.Error(_temp.Write("header.csv", Header), ("label", "label")));
    }

    [Fact]
    public void A_short_row_names_the_first_missing_column()
    {
        string path = _temp.Write("short.csv", Header + "1,2,x\n3,4\n");

        Assert.Equal("short.csv:3:col 3 (label): missing; the row has 2 values, expected 3 as in the header",
            CsvFiles.Error(path, ("label", "label")));
    }

    [Fact]
    public void A_long_row_names_the_first_extra_value()
    {
        string path = _temp.Write("long.csv", Header + "1,2,x\n3,4,y,99\n");

        Assert.Equal("long.csv:3:col 4: unexpected value '99'; the row has 4 values, expected 3 as in the header",
            CsvFiles.Error(path, ("label", "label")));
    }

    [Theory]
    [InlineData("1,,x", "col 2 (b): '' is empty; " + Expected + NotFilled)]
    [InlineData("NaN,2,x", "col 1 (a): 'NaN' is not a finite number; " + Expected + NotFilled)]
    [InlineData("1,-Infinity,x", "col 2 (b): '-Infinity' is not a finite number; " + Expected)]
    [InlineData("1,2e39,x", "col 2 (b): '2e39' is not a finite number; " + Expected)]
    [InlineData("1,\"1,5\",x", "col 2 (b): '1,5' is not a number; " + Expected + " with '.' as the decimal separator")]
    [InlineData("1,2,", "col 3 (label): '' is empty; expected a class label (a missing label is never filled in)")]
    public void A_bad_value_names_its_place_and_what_was_expected(string row, string problem)
    {
        string path = _temp.Write("values.csv", Header + "1,2,x\n" + row + "\n");

        Assert.Equal("values.csv:3:" + problem, CsvFiles.Error(path, ("label", "label")));
    }

    [Fact]
    public void A_regression_target_must_be_a_number()
    {
        string path = _temp.Write("target.csv", Header + "1,2,3\n4,5,high\n");

        Assert.Equal("target.csv:3:col 3 (label): 'high' is not a number; expected a number (the regression target)",
            CsvFiles.Error(path, ("label", "label"), ("task", "regression")));
    }

    [Fact]
    public void Lines_are_counted_as_an_editor_counts_them_after_a_quoted_line_break()
    {
        string path = _temp.Write("lines.csv", Header + "1,2,\"two\nlines\"\r\n3,4,x\n5,oops,y\n");

        Assert.Equal($"lines.csv:5:col 2 (b): 'oops' is not a number; {Expected}", CsvFiles.Error(path, ("label", "label")));
    }

    [Fact]
    public void A_label_or_feature_column_that_does_not_exist_names_the_columns_that_do()
    {
        string path = _temp.Write("columns.csv", Header + "1,2,x\n");

        Assert.Equal("columns.csv:1: label column 'lable' does not exist; expected a name or zero-based index (0 to 2) of the columns: a, b, label",
            CsvFiles.Error(path, ("label", "lable")));
        Assert.Equal("columns.csv:1: label column '3' does not exist; expected a name or zero-based index (0 to 2) of the columns: a, b, label",
            CsvFiles.Error(path, ("label", "3")));
        Assert.Equal("columns.csv:1: feature columns 'c', '7' do not exist; expected a name or zero-based index (0 to 2) of the columns: a, b, label",
            CsvFiles.Error(path, ("label", "label"), ("features", "a,c,7")));
        Assert.Equal("columns.csv:1: feature column 'label' is the label column; expected data.features without it",
            CsvFiles.Error(path, ("label", "label"), ("features", "a,label")));
    }

    [Fact]
    public void A_column_name_the_header_repeats_must_be_given_by_index()
    {
        string path = _temp.Write("twice.csv", "a,label,label\n1,2,y\n");

        Assert.Equal("twice.csv:1: column name 'label' is in the header 2 times (col 2, col 3); expected a zero-based index to say which",
            CsvFiles.Error(path, ("label", "label")));
        Assert.Equal(["y"], CsvFiles.Load(path, "2").Schema.ClassNames);
    }

    [Fact]
    public void An_unclosed_quote_stops_the_read_even_when_skipping()
    {
        string path = _temp.Write("unclosed.csv", Header + "1,2,x\n3,\"4,y\n5,6,z\n");

        Assert.Equal("unclosed.csv:3:col 2: the quoted field that starts here is not closed; expected a closing '\"' before the end of the file",
            CsvFiles.Error(path, ("label", "label"), ("on_error", "skip")));
    }

    [Fact]
    public void Text_after_a_closing_quote_is_a_bad_row()
    {
        string path = _temp.Write("after.csv", Header + "1,\"2\"3,x\n");

        Assert.Equal("after.csv:2:col 2 (b): text after the closing quote; expected the delimiter or the end of the row (write a quote inside a quoted field as \"\")",
            CsvFiles.Error(path, ("label", "label")));
    }

    [Fact]
    public void Skipping_bad_rows_counts_them_keeps_the_first_reasons_and_reads_the_rest()
    {
        var text = new System.Text.StringBuilder(Header);
        for (int i = 0; i < 10; i++)
        {
            text.Append(i % 2 == 0 ? $"{i},{i},c{i % 3}\n" : $"{i},bad{i},x\n");
        }
        text.Append("1,2\n");
        string path = _temp.Write("skip.csv", text.ToString());

        CsvReadResult result = CsvFiles.Read(path, ("label", "label"), ("on_error", "skip"));

        Assert.Equal(6, result.SkippedRows);
        Assert.Equal(5, result.Dataset.Length);
        Assert.Equal([0f, 0f, 2f, 2f, 4f, 4f, 6f, 6f, 8f, 8f], result.Dataset.Features.ToArray());
        Assert.Equal(["c0", "c1", "c2"], result.Dataset.Schema.ClassNames);
        Assert.Equal(CsvReadResult.MaxSkipReasons, result.SkipReasons.Count);
        Assert.Equal($"skip.csv:3:col 2 (b): 'bad1' is not a number; {Expected}", result.SkipReasons[0]);
        Assert.Equal($"skip.csv:11:col 2 (b): 'bad9' is not a number; {Expected}", result.SkipReasons[4]);
        Assert.Contains("'bad1'", CsvFiles.Error(path, ("label", "label")), StringComparison.Ordinal);
    }

    [Fact]
    public void Skipped_rows_are_logged_as_a_warning()
    {
        string path = _temp.Write("logged.csv", Header + "1,2,x\n3,?,y\n");
        var logger = new ListLogger<CsvDataSource>();

        new CsvDataSource(logger).Open(CsvFiles.Settings(("path", path), ("label", "label"), ("on_error", "skip")));

        string warning = Assert.Single(logger.Warnings);
        Assert.Equal($"Skipped 1 bad rows of {path} (on_error: skip) and kept 1; the first: logged.csv:3:col 2 (b): '?' is not a number; {Expected}", warning);
    }

    [Fact]
    public void A_file_whose_rows_are_all_bad_is_refused_even_when_skipping()
    {
        string path = _temp.Write("allbad.csv", Header + "1,?,x\n");

        Assert.Equal($"allbad.csv: all 1 rows are bad and were skipped (on_error: skip); the first: allbad.csv:2:col 2 (b): '?' is not a number; {Expected}",
            CsvFiles.Error(path, ("label", "label"), ("on_error", "skip")));
    }

    [Fact]
    public void Bad_settings_name_the_key_the_value_and_what_is_allowed()
    {
        string path = _temp.Write("settings.csv", Header + "1,2,x\n");

        Assert.Equal("data.task: 'clustering' is not allowed; expected one of classification, regression\n"
            + "data.on_error: 'ignore' is not allowed; expected one of stop, skip\n"
            + "data.header: 'yes' is not allowed; expected true or false\n"
            + "data.delimiter: ';;' is not allowed; expected one character such as ',' or ';', or \\t for a tab",
            CsvFiles.Error(path, ("task", "clustering"), ("on_error", "ignore"), ("header", "yes"), ("delimiter", ";;")));
        Assert.Equal("data.path: is missing; expected the CSV file to read, such as data/digits.csv",
            Assert.Throws<InvalidDataException>(() => new CsvDataSource().Open(CsvFiles.Settings(("label", "label")))).Message);
    }

    [Fact]
    public void Line_breaks_in_quoted_header_names_stay_escaped_in_messages()
    {
        // Found by fuzzing: the header's names were listed as they are, so a quoted name with a line break split the message.
        string missing = CsvFiles.Error(_temp.Write("names.csv", "\"a\nb\",c\r\n1,2\n"), ("label", "label"));
        string bad = CsvFiles.Error(_temp.Write("value.csv", "\"a\nb\",label\nx,y\n"), ("label", "label"));

        Assert.Equal("names.csv:1: label column 'label' does not exist; expected a name or zero-based index (0 to 1) of the columns: a\\nb, c", missing);
        Assert.Equal($"value.csv:3:col 1 (a\\nb): 'x' is not a number; {Expected}", bad);
    }

    [Fact]
    public void A_corrupt_gzip_file_is_named()
    {
        string path = _temp.Write("broken.csv.gz", "this is not gzip");

        Assert.StartsWith($"{path}: cannot be read as gzip-compressed text: ", CsvFiles.Error(path, ("label", "label")), StringComparison.Ordinal);
    }
}
