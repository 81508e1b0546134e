using Conduit.Benchmarks;
using System.Diagnostics;
using System.Globalization;
using Conduit.Host;
using Conduit.Host.Jobs;
using Conduit.Host.Plugins;
using Conduit.Host.Training;
using Conduit.Messages;
using Conduit.Messaging;
using Microsoft.Extensions.DependencyInjection;

// dotnet run -c Release --project bench/Conduit.Benchmarks.Tracking [-- --rounds N] [--epochs N] [--loggers csv,tensorboard,sqlite] [--no-console]
int rounds = Option("--rounds") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 6;
string[] chosen = (Option("--loggers") ?? "csv,tensorboard,sqlite").Split(',', StringSplitOptions.RemoveEmptyEntries);
bool withConsole = !args.Contains("--no-console");
string root = RepositoryRoot.Path;
string scratch = Directory.CreateTempSubdirectory("conduit-bench-tracking").FullName;
string[] common = [$"trainer.max_epochs={Option("--epochs") ?? "40"}", "trainer.log_every_n_steps=1", "trainer.enable_checkpointing=false", $"trainer.default_root_dir={scratch}", "callbacks.early_stopping.patience=100", "export=none"];
string[] everyLogger = [.. chosen.Select((name, i) => $"loggers.{i}={name}")];

var plain = new List<double>();
var tracked = new List<double>();
long metrics = 0;
TextWriter stdout = Console.Out;
try
{
    Console.SetOut(TextWriter.Null); // the console logger writes here; its cost counts, its text does not
    await RunAsync(common, console: false);
    await RunAsync([.. common, .. everyLogger], console: withConsole);
    for (int round = 0; round < rounds; round++)
    {
        bool trackedFirst = round % 2 == 1;
        for (int side = 0; side < 2; side++)
        {
            bool withLoggers = (side == 0) == trackedFirst;
            (double seconds, long logged) = await RunAsync(withLoggers ? [.. common, .. everyLogger] : common, console: withLoggers && withConsole);
            (withLoggers ? tracked : plain).Add(seconds);
            metrics = withLoggers ? logged : metrics;
        }
    }
}
finally
{
    Console.SetOut(stdout);
    Directory.Delete(scratch, recursive: true);
}

double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
double[] paired = [.. plain.Zip(tracked, (p, t) => t / p)];
Console.WriteLine($"Tracking overhead: digits job, {Option("--epochs") ?? "40"} epochs, a metric row every step ({metrics:N0} values per run into each logger), {rounds} alternating rounds, {Environment.ProcessorCount} cores");
Console.WriteLine();
Console.WriteLine("| Loggers                                   | runs (s)                                   | median s | ratio |");
Console.WriteLine("|-------------------------------------------|--------------------------------------------|---------:|------:|");
Console.WriteLine($"| none (console off)                        | {string.Join(" ", plain.Select(F)),-42} | {F(Median(plain)),8} | 1.000 |");
Console.WriteLine($"| {string.Join(" + ", (withConsole ? ["console"] : Array.Empty<string>()).Concat(chosen)),-41} | {string.Join(" ", tracked.Select(F)),-42} | {F(Median(tracked)),8} | {Median(tracked) / Median(plain):F3} |");
Console.WriteLine();
Console.WriteLine($"Paired ratio (each round's tracked / untracked run): median {paired.Order().ElementAt(paired.Length / 2):F3}, range {paired.Min():F3}..{paired.Max():F3}");
return 0;

async Task<(double Seconds, long Metrics)> RunAsync(string[] overrides, bool console)
{
    JobDefinition job = JobLoader.Load(Path.Combine(root, "samples", "digits.job.json"), overrides);
    var options = new ConduitHostOptions { Configuration = job.Configuration };
    foreach (string folder in PluginDiscovery.DefaultRoots(AppContext.BaseDirectory))
    {
        options.Plugins.Roots.Add(folder);
    }
    if (!console)
    {
        options.Plugins.Disabled.Add("console");
    }
    await using ConduitHost host = ConduitHost.Start(options);
    long values = 0;
    using IDisposable counting = host.Services.GetRequiredService<ISubscriber<MetricsLogged>>().Subscribe(m => values += m.Metrics.Count);
    var runner = new JobRunner(host);
    long started = Stopwatch.GetTimestamp();
    using PreparedRun prepared = runner.Prepare(job);
    await runner.RunAsync(prepared);
    double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
    return (seconds, values);
}

string? Option(string name) => Array.IndexOf(args, name) is int i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

static string F(double value) => value.ToString("F2", CultureInfo.InvariantCulture);

