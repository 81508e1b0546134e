using System.Globalization;
using Conduit.Benchmarks;
using Conduit.Benchmarks.Workers;

// dotnet run -c Release --project bench/Conduit.Benchmarks.Workers [-- --jobs 8] [--epochs 2]
int jobs = Argument("--jobs", 8), epochs = Argument("--epochs", 2);
if (!await HostBuild.EnsureReleaseAsync())
{
    return 1;
}

string work = Directory.CreateTempSubdirectory("conduit-bench-workers").FullName;
try
{
    var rows = new List<(string Mode, int Workers, double Seconds)>();
    foreach (string mode in (string[])["local", "nats"])
    {
        foreach (int workers in (int[])[1, 2, 4])
        {
            await using Cluster cluster = await Cluster.StartAsync(mode, workers, Path.Combine(work, $"{mode}-{workers}"));
            double seconds = await cluster.RunJobsAsync(jobs, epochs);
            rows.Add((mode, workers, seconds));
            Console.Error.WriteLine(FormattableString.Invariant($"  {mode}, {workers} worker(s): {jobs} jobs in {seconds:F1} s"));
        }
    }
    (double startup, double whole) = await StartupCost.MeasureAsync(Path.Combine(work, "startup"), epochs);

    Console.WriteLine(FormattableString.Invariant($"{jobs} independent digits jobs ({epochs} epochs each), {Environment.ProcessorCount} cores"));
    Console.WriteLine("mode   workers  seconds  jobs/min  vs 1 worker");
    foreach (var (mode, workers, seconds) in rows)
    {
        double one = rows.First(r => r.Mode == mode && r.Workers == 1).Seconds;
        Console.WriteLine(FormattableString.Invariant($"{mode,-6} {workers,7} {seconds,8:F1} {jobs * 60 / seconds,9:F1} {one / seconds,11:F2}x"));
    }
    Console.WriteLine(FormattableString.Invariant($"worker process start-up per job (spawn to 'started': plugins, data, model): {startup:F2} s of a {whole:F2} s job"));
}
finally
{
    Directory.Delete(work, recursive: true);
}
return 0;

int Argument(string name, int fallback) =>
    Array.IndexOf(args, name) is int i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
