using Conduit.Configuration;
using System.Globalization;
using Conduit.Data;
using Conduit.DataSources.Csv;
using Microsoft.Extensions.Configuration;
using static Conduit.Benchmarks.Data.Rounds;

namespace Conduit.Benchmarks.Data;

/// <summary>CSV parsing: the csv source's streaming pass and its opening check against File.ReadLines + float.Parse.</summary>
internal static class CsvParseBenchmark
{
    private const long FileBytes = 64L << 20;

    public static async Task RunAsync(BenchOptions options)
    {
        string folder = Directory.CreateTempSubdirectory("conduit-bench-csv").FullName;
        try
        {
            string path = Path.Combine(folder, "numbers.csv");
            long rows = GeneratedCsv.Write(path, FileBytes);
            double megabytes = new FileInfo(path).Length / (double)(1 << 20);
            var settings = new SettingsReader(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["path"] = path,
                ["label"] = "label",
            }).Build(), "data");
            var source = new CsvDataSource();
            IDataset dataset = source.Open(settings);
            double checksum = 0;

            double[] seconds = await MedianSecondsAsync(options.Rounds,
                () => { checksum += Baseline(path); return Task.CompletedTask; },
                async () => checksum += await OnePassAsync(dataset),
                () => { checksum += source.Open(settings).Count ?? 0; return Task.CompletedTask; });

            Console.WriteLine($"CSV parse throughput: {Rounds.F(megabytes, "F1")} MB, {rows:N0} rows x {GeneratedCsv.Features} features + label (checksum {checksum:E3})");
            Console.WriteLine();
            Console.WriteLine("| Reader                                   | median s | MB/s   | rows/s     | ratio |");
            Console.WriteLine("|------------------------------------------|---------:|-------:|-----------:|------:|");
            Row("File.ReadLines + Split + float.Parse", seconds[0], seconds[0]);
            Row("csv source, one streaming pass", seconds[1], seconds[0]);
            Row("csv source, Open (checking scan)", seconds[2], seconds[0]);
            Console.WriteLine("ratio: throughput relative to the baseline (higher is faster).");
            Console.WriteLine();

            void Row(string name, double s, double baseline) =>
                Console.WriteLine($"| {name,-40} | {F(s, "F3"),8} | {F(megabytes / s, "F1"),6} | {F(rows / s, "N0"),10} | {F(baseline / s),5} |");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // What a hand-written loader does: a string per line and per field, then parse.
    private static double Baseline(string path)
    {
        double sum = 0;
        foreach (string line in File.ReadLines(path).Skip(1))
        {
            string[] fields = line.Split(',');
            for (int j = 0; j < fields.Length - 1; j++)
            {
                sum += float.Parse(fields[j], CultureInfo.InvariantCulture);
            }
            sum += int.Parse(fields[^1], CultureInfo.InvariantCulture);
        }
        return sum;
    }

    private static async Task<double> OnePassAsync(IDataset dataset)
    {
        double sum = 0;
        await foreach (DataBatch block in dataset.ReadAsync())
        {
            sum += ((TensorBuffer<float>)block.Features).Memory.Span[0] + block.Count;
        }
        return sum;
    }
}
