using System.Diagnostics;
using System.Text.Json;
using static Conduit.Benchmarks.Data.Rounds;

namespace Conduit.Benchmarks.Data;

/// <summary>
/// Peak memory of the real <c>conduit run</c> while a generated CSV of several GB streams through one epoch
/// (linear model, standardized, 5% test split), against the same job on a 32 MB file: bounded memory means the
/// two peaks are close whatever the file's size (target: under 400 MB).
/// </summary>
internal static class StreamingMemoryBenchmark
{
    public static async Task RunAsync(BenchOptions options)
    {
        string folder = Directory.CreateTempSubdirectory("conduit-bench-stream").FullName;
        try
        {
            Console.WriteLine($"Peak memory streaming a generated CSV through one epoch (conduit run, streaming: true):");
            Console.WriteLine();
            Console.WriteLine("| CSV file   | rows        | wall s | peak RSS (MB) | ratio | test_acc |");
            Console.WriteLine("|-----------:|------------:|-------:|--------------:|------:|---------:|");
            (long Rows, double Seconds, long Peak, double Accuracy)? baseline = null;
            foreach (int megabytes in new[] { 32, options.StreamMegabytes })
            {
                string csv = Path.Combine(folder, $"stream{megabytes}.csv");
                long rows = GeneratedCsv.Write(csv, (long)megabytes << 20);
                string job = WriteJob(folder, csv);
                var run = await RunConduitAsync(job);
                baseline ??= (rows, run.Seconds, run.Peak, run.Accuracy);
                Console.WriteLine($"| {megabytes,7} MB | {rows,11:N0} | {F(run.Seconds, "F1"),6} | {run.Peak >> 20,13} | {F((double)run.Peak / baseline.Value.Peak),5} | {F(run.Accuracy, "F4"),8} |");
                File.Delete(csv);
            }
            Console.WriteLine("ratio: peak resident memory against the 32 MB file's run (the same process, libtorch included).");
            Console.WriteLine();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string WriteJob(string folder, string csv)
    {
        var job = new Dictionary<string, object>
        {
            ["name"] = "stream",
            ["data"] = new Dictionary<string, object>
            {
                ["source"] = "csv",
                ["path"] = csv,
                ["label"] = "label",
                ["batch_size"] = 1024,
                ["streaming"] = "true",
                ["normalize"] = "standardize",
                ["split"] = new Dictionary<string, object> { ["validation"] = 0, ["test"] = 0.05 },
            },
            ["model"] = new Dictionary<string, object> { ["type"] = "linear" },
            ["optimizer"] = new Dictionary<string, object> { ["type"] = "sgd", ["lr"] = 0.1 },
            ["trainer"] = new Dictionary<string, object>
            {
                ["max_epochs"] = 1,
                ["seed"] = 1,
                ["enable_checkpointing"] = false,
                ["default_root_dir"] = folder,
            },
        };
        string path = Path.Combine(folder, Path.GetFileNameWithoutExtension(csv) + ".job.json");
        File.WriteAllText(path, JsonSerializer.Serialize(job));
        return path;
    }

    // The child's peak resident set (VmHWM), read while it runs: the kernel keeps the high-water mark for us.
    private static async Task<(double Seconds, long Peak, double Accuracy)> RunConduitAsync(string job)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(BenchOptions.RepoRoot, "conduit"), "run", job, "--json"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = BenchOptions.RepoRoot,
        };
        long started = Stopwatch.GetTimestamp();
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        long peak = 0;
        while (!process.HasExited)
        {
            peak = Math.Max(peak, HighWaterMark(process.Id));
            await Task.Delay(50);
        }
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"conduit run {job} failed ({process.ExitCode}): {await errors}{await output}");
        }
        using JsonDocument report = JsonDocument.Parse(await output);
        double accuracy = report.RootElement.GetProperty("metrics").GetProperty("test_acc").GetDouble();
        return (seconds, peak, accuracy);
    }

    private static long HighWaterMark(int pid)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
            // The process ended between the check and the read.
        }
        return 0;
    }
}
