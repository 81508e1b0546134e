using System.Globalization;
using System.Text;
using Conduit.Data.Tests.Support;
using Conduit.DataSources.Csv;
using Conduit.Host.Data;
using CsCheck;

namespace Conduit.Data.Tests.Csv;

/// <summary>Whatever is written as RFC 4180 reads back exactly: fields, line numbers, numbers and labels.</summary>
public sealed class CsvRoundTripProperties
{
    private const string Awkward = "ab ,;|\t\"\r\n.1é";

    private static readonly Gen<char> Delimiter = Gen.Char[",;\t|"];
    private static readonly Gen<string> Field = Gen.Char[Awkward].Array[0, 6].Select(chars => new string(chars));
    private static readonly Gen<string> LineBreak = Gen.OneOf("\n", "\r\n", "\r");

    [Fact]
    public void Any_table_of_strings_reads_back_field_for_field_with_its_line_numbers()
    {
        Gen<(char, string[][], string[], bool[], int)> tables = Gen.Select(
            Delimiter,
            Field.Array[1, 5].Array[1, 8],
            LineBreak.Array[8],
            Gen.Bool.Array[40],
            Gen.Int[1, 17]);

        tables.Sample((delimiter, rows, breaks, quoteAnyway, bufferSize) =>
        {
            var text = new StringBuilder();
            var lines = new int[rows.Length];
            int line = 1;
            for (int r = 0; r < rows.Length; r++)
            {
                lines[r] = line;
                for (int f = 0; f < rows[r].Length; f++)
                {
                    if (f > 0)
                    {
                        text.Append(delimiter);
                    }
                    line += Write(text, rows[r][f], delimiter, quoteAnyway[(r * 5 + f) % quoteAnyway.Length]);
                }
                text.Append(breaks[r]);
                line++;
            }

            var reader = new CsvRecordReader(new StringReader(text.ToString()), delimiter, bufferSize);
            for (int r = 0; r < rows.Length; r++)
            {
                Assert.True(reader.Read());
                Assert.Equal(CsvQuoteProblem.None, reader.Problem);
                Assert.Equal(lines[r], reader.Line);
                Assert.Equal(rows[r], Enumerable.Range(0, reader.FieldCount).Select(i => reader[i].ToString()));
            }
            Assert.False(reader.Read());
        });
    }

    [Fact]
    public void Any_file_of_floats_and_string_labels_reads_back_exactly()
    {
        Gen<float> number = Gen.Frequency(
            (3, Gen.Float[-1000f, 1000f]),
            (1, Gen.Int.Select(BitConverter.Int32BitsToSingle).Where(float.IsFinite)));
        Gen<(char, int, float[], string[], string[])> files = Gen.Int[1, 4].SelectMany(columns => Gen.Int[1, 12].SelectMany(rows => Gen.Select(
            Delimiter,
            Gen.Const(columns),
            number.Array[columns * rows],
            Field.Select(f => "L" + f).Array[rows],
            Field.Select(f => "h" + f + "h").Array[columns])));

        files.Sample((delimiter, columns, features, labels, names) =>
        {
            var text = new StringBuilder();
            foreach (string name in names)
            {
                Write(text, name, delimiter, quoteAnyway: false);
                text.Append(delimiter);
            }
            text.Append("label\r\n");
            for (int r = 0; r < labels.Length; r++)
            {
                for (int c = 0; c < columns; c++)
                {
                    text.Append(features[r * columns + c].ToString("R", CultureInfo.InvariantCulture)).Append(delimiter);
                }
                Write(text, labels[r], delimiter, quoteAnyway: false);
                text.Append('\n');
            }
            using var temp = new TempFolder();
            string path = temp.Write("random.csv", text.ToString());

            InMemoryDataset data = CsvFiles.Load(path, columns.ToString(CultureInfo.InvariantCulture), ("delimiter", delimiter == '\t' ? "\\t" : delimiter.ToString()));

            Assert.Equal(names, data.Schema.FeatureNames);
            Assert.Equal(features.Select(BitConverter.SingleToInt32Bits), data.Features.ToArray().Select(BitConverter.SingleToInt32Bits));
            string[] classes = [.. labels.Distinct().Order(StringComparer.Ordinal)];
            Assert.Equal(classes, data.Schema.ClassNames);
            Assert.Equal(labels, data.Classes.ToArray().Select(c => data.Schema.ClassNames[(int)c]));
        });
    }

    // Writes a field as RFC 4180 says, quoting when it must (or when asked); returns the line breaks it holds.
    private static int Write(StringBuilder text, string field, char delimiter, bool quoteAnyway)
    {
        bool quote = quoteAnyway || field.Length == 0 || field.AsSpan().IndexOfAny(['"', '\r', '\n', delimiter]) >= 0;
        text.Append(quote ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field);
        return field.Replace("\r\n", "\n", StringComparison.Ordinal).Count(c => c is '\r' or '\n');
    }
}
