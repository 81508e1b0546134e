using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Conduit.Benchmarks;

// dotnet run -c Release --project bench/Conduit.Benchmarks.Sweeps [-- --trials 8]
int trials = Array.IndexOf(args, "--trials") is int i and >= 0 ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : 8;
string conduit = Path.Combine(RepositoryRoot.Path, "conduit");
Environment.SetEnvironmentVariable("CONDUIT_CONFIGURATION", "Release");
if (await RunAsync("bash", [conduit, "--version"]) is not { ExitCode: 0 })
{
    return 1;
}

string work = Directory.CreateTempSubdirectory("conduit-bench-sweeps").FullName;
try
{
    // One random sweep (the same trials in every run: random search depends on the seed only), as the sample's job.
    string job = Path.Combine(RepositoryRoot.Path, "samples", "digits.job.json");
    string Sweep(bool asha) => $$"""
        { "name": "bench", "job": "{{job}}", "method": "random", "seed": 11, "max_trials": {{trials}}, "max_concurrent": 2,
          "metric": { "name": "val_loss", "goal": "minimize" },
          "parameters": { "optimizer.lr": { "distribution": "log_uniform", "min": 0.0003, "max": 0.01 },
                          "model.hidden": { "values": [[128], [256], [512]] }, "model.dropout": { "distribution": "uniform", "min": 0, "max": 0.4 } }
          {{(asha ? """, "early_stop": { "type": "asha", "grace_period": 5, "reduction_factor": 3 }""" : "")}} }
        """;
    var runs = new List<(string Name, Result Result)>();
    foreach (var (name, asha, workers) in ((string, bool, int)[])[("to the end, 1 worker", false, 1), ("to the end, 2 workers", false, 2), ("asha, 2 workers", true, 2)])
    {
        string folder = Path.Combine(work, runs.Count.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        string file = Path.Combine(folder, "bench.sweep.json");
        File.WriteAllText(file, Sweep(asha));
        var clock = Stopwatch.StartNew();
        (int code, string output, string error) = await RunAsync("bash", [conduit, "sweep", file, "--workers", workers.ToString(CultureInfo.InvariantCulture), "--store", Path.Combine(folder, "conduit.db"), "--json"]);
        double seconds = clock.Elapsed.TotalSeconds;
        if (code != 0)
        {
            Console.Error.WriteLine(error);
            return 1;
        }
        runs.Add((name, Result.Of(output, seconds)));
        Console.Error.WriteLine(FormattableString.Invariant($"  {name}: {seconds:F1} s"));
    }

    Console.WriteLine(FormattableString.Invariant($"random sweep of {trials} trials over the digits job (max 40 epochs), {Environment.ProcessorCount} cores"));
    Console.WriteLine("run                      seconds  trials/min  epochs  pruned  best val_loss  its test_acc");
    foreach (var (name, r) in runs)
    {
        Console.WriteLine(FormattableString.Invariant($"{name,-24} {r.Seconds,7:F1} {trials * 60 / r.Seconds,11:F2} {r.Epochs,7} {r.Pruned,7} {r.Best,14:F4} {r.BestTest,13:F4}"));
    }
    // The same trials, the same epochs: only the workers differ. Then the same trials with and without pruning.
    Result one = runs[0].Result, two = runs[1].Result, pruned = runs[2].Result;
    Console.WriteLine(FormattableString.Invariant($"2 workers vs 1 (every trial to its end): {one.Seconds / two.Seconds:F2}x trials per minute"));
    Console.WriteLine(FormattableString.Invariant($"ASHA vs every trial to its end (2 workers): {(double)pruned.Epochs / two.Epochs:F2}x the epochs, {pruned.Seconds / two.Seconds:F2}x the time"));
}
finally
{
    Directory.Delete(work, recursive: true);
}
return 0;

static async Task<(int ExitCode, string Output, string Error)> RunAsync(string file, string[] arguments)
{
    var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (string argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }
    using Process process = Process.Start(start)!;
    Task<string> error = process.StandardError.ReadToEndAsync();
    string output = await process.StandardOutput.ReadToEndAsync();
    await process.WaitForExitAsync();
    return (process.ExitCode, output, await error);
}

/// <summary>What one sweep run gave: its time, the epochs its trials ran, how many were pruned, the best trial.</summary>
internal sealed record Result(double Seconds, int Epochs, int Pruned, double Best, double BestTest)
{
    public static Result Of(string output, double seconds)
    {
        // Standard output is the JSON result alone; progress goes to standard error.
        using JsonDocument document = JsonDocument.Parse(output);
        JsonElement[] trials = [.. document.RootElement.GetProperty("trials").EnumerateArray()];
        JsonElement best = document.RootElement.GetProperty("best");
        return new Result(seconds, trials.Sum(t => t.GetProperty("epochs").GetInt32()), trials.Count(t => t.GetProperty("status").GetString() == "pruned"),
            best.GetProperty("metric").GetDouble(), best.GetProperty("metrics").GetProperty("test_acc").GetDouble());
    }
}
