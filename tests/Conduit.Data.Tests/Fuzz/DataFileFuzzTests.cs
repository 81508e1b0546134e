using System.Text;
using Conduit.Data.Tests.Parquet;
using Conduit.Data.Tests.Support;
using Conduit.Host.Tests.Fuzz;
using CsCheck;

namespace Conduit.Data.Tests.Fuzz;

/// <summary>
/// Hostile CSV and Parquet files read as a job reads them (schema, then every batch): the source either reads the rows
/// or refuses the file with an <see cref="InvalidDataException"/> whose message is one line naming it. Nothing else
/// escapes, and nothing hangs.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class DataFileFuzzTests : IDisposable
{
    // A small digits-like file: a header, number columns, a label column.
    private const string Csv = "p0,p1,p2,label\n0,1.5,16,zero\n3,-2,1e-3,one\n\"4\",5,6,\"two, or so\"\n7,8,9,zero\n";

    // What breaks CSV parsers: quotes, line ends, NULs, separators, numbers too big or not numbers, empty lines.
    private static readonly byte[][] CsvInsertions = [.. new[]
    {
        "\"", "\"\"", "\n", "\r", "\r\n", "\0", ",", ",,", "\n\n", "1e999", "-1e-999", "99999999999999999999999999999999", "NaN",
        "Infinity", "-", ".", "1.2.3", "\"a\nb\"", "\uFEFF", "é", "\t", "0x10", "label", "p0,p0",
    }.Select(Encoding.UTF8.GetBytes), [0xFF, 0xFE], [0xC3]];

    private static readonly (string Key, string? Value)[][] CsvSettings =
    [
        [("label", "label")],
        [("label", "label"), ("on_error", "skip")],
        [("label", "label"), ("missing", "fill")],
        [("label", "p1"), ("task", "regression")],
    ];

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Csv_files_of_any_bytes_are_read_or_refused_in_one_line()
    {
        Gen.Select(Mutations.Of(Encoding.UTF8.GetBytes(Csv), CsvInsertions), Gen.Int[0, CsvSettings.Length - 1]).Sample((bytes, settings) =>
        {
            string path = Unique("digits.csv");
            File.WriteAllBytes(path, bytes);
            Mutations.Refused<InvalidDataException>(() => CsvFiles.Read(path, CsvSettings[settings]), path);
        }, iter: FuzzBudget.Iterations, time: FuzzBudget.Time);
    }

    [Fact]
    public void Gzip_csv_files_of_any_bytes_are_read_or_refused_in_one_line()
    {
        byte[] compressed = Mutations.Gzip(Encoding.UTF8.GetBytes(Csv));
        // Damaged text compressed whole, and a whole file whose compressed bytes are damaged.
        Gen<byte[]> files = Gen.OneOf(Mutations.Of(Encoding.UTF8.GetBytes(Csv), CsvInsertions).Select(Mutations.Gzip), Mutations.Of(compressed));
        Gen.Select(files, Gen.Int[0, CsvSettings.Length - 1]).Sample((bytes, settings) =>
        {
            string path = Unique("digits.csv.gz");
            File.WriteAllBytes(path, bytes);
            Mutations.Refused<InvalidDataException>(() => CsvFiles.Read(path, CsvSettings[settings]), path);
        }, iter: FuzzBudget.Iterations, time: FuzzBudget.Time);
    }

    [Fact]
    public async Task Parquet_files_of_any_bytes_are_read_or_refused_in_one_line()
    {
        string good = await ParquetFiles.WriteAsync(Path.Combine(_temp.Path, "good.parquet"), 2,
            ParquetColumn.Of<long>("p0", 0, 3, 4, 7),
            ParquetColumn.Of<double>("p1", 1.5, -2, 5, 8),
            ParquetColumn.Optional<float>("p2", 16, null, 6, 9),
            ParquetColumn.Text("label", "zero", "one", null, "zero"));
        byte[] original = File.ReadAllBytes(good);
        // Parquet ends with the footer's length and "PAR1": the footer and magic are where a reader trusts the file.
        byte[][] insertions = [[.. "PAR1"u8], [0xFF, 0xFF, 0xFF, 0x7F], [0, 0, 0, 0], [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]];
        Gen<byte[]> files = Gen.OneOf(Mutations.Of(original, insertions),
            Gen.Byte.Array[0, 256].Select(body => (byte[])[.. "PAR1"u8, .. body, .. "PAR1"u8]));
        Gen.Select(files, Gen.Bool).Sample((bytes, labelled) =>
        {
            string path = Unique("digits.parquet");
            File.WriteAllBytes(path, bytes);
            (string, string?)[] settings = labelled ? [("label", "label")] : [("label", "p1"), ("task", "regression")];
            Mutations.Refused<InvalidDataException>(() => ParquetSource.LoadAsync(path, settings).GetAwaiter().GetResult(), path);
        }, iter: FuzzBudget.Iterations, time: FuzzBudget.Time);
    }

    // CsCheck runs samples on several threads at once: a file of its own for each.
    private string Unique(string name) => Path.Combine(_temp.Path, $"{Guid.NewGuid():N}-{name}");
}
