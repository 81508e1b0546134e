using System.Globalization;
using System.Text;
using Conduit.Host.Jobs;
using Conduit.Host.Tests.Cli;
using Conduit.Host.Tests.Support;
using Conduit.Host.Tests.Training;
using Conduit.Host.Tracking;
using Conduit.Tracking.Store;
using Conduit.Messages;
using Conduit.Messaging;
using Conduit.Tracking;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Host.Tests.Tracking;

[Collection(TorchCollection.Name)]
public sealed class ExperimentLoggerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_event_file_checksum_is_crc32c()
    {
        Assert.Equal(0xE3069283u, EventFileReader.Crc32C(Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public async Task The_csv_tensorboard_and_sqlite_loggers_record_the_same_values_step_for_step()
    {
        string job = TrainingHarness.WriteDigitsJob(_temp.Path, ", \"log_every_n_steps\": 5");
        var result = await CliRunner.RunAsync("run", job, "--plugins", RepoPaths.Plugins, "--json", "--set", "loggers.0=csv", "--set", "loggers.1=tensorboard", "--set", "loggers.2=sqlite");
        Assert.True(result.ExitCode == 0, result.Error);

        string version = Assert.Single(Directory.GetDirectories(Path.Combine(_temp.Path, "runs", "digits-test"), "version_*"));
        Dictionary<(long, string), double> csv = ReadMetricsCsv(Path.Combine(version, "metrics.csv"));
        var scalars = Directory.GetFiles(version, "events.out.tfevents.*").SelectMany(EventFileReader.Read)
            .SelectMany(e => e.Values.Where(v => v.Scalar is not null).Select(v => (Key: (e.Step, v.Tag), Value: v.Scalar!.Value)))
            .ToList();

        Assert.True(csv.Count > 50, $"{csv.Count} metric values");
        Assert.Equal(csv.Keys.Order(), scalars.Select(s => s.Key).Order());
        foreach (var (key, value) in scalars)
        {
            Assert.Equal((float)csv[key], value);
        }
        Assert.Contains(csv.Keys, k => k.Item2 == "val_acc");
        using (RunStore store = RunStore.OpenExisting(Path.Combine(_temp.Path, "runs", "conduit.db")))
        {
            StoredRun run = Assert.Single(store.Runs());
            Assert.Equal("completed", run.Status);
            Dictionary<(long, string), double> stored = ReadStore(store, run.Id);
            Assert.Equal(csv, stored);
        }
        Assert.True(File.Exists(Path.Combine(version, "hparams.yaml")));
        Assert.Contains("model.type: \"mlp\"", File.ReadAllText(Path.Combine(version, "hparams.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_one_of_200000_metrics_arrives_and_a_throwing_logger_is_isolated()
    {
        const int Count = 200_000;
        var options = new ConduitHostOptions();
        options.Plugins.Roots.Add(RepoPaths.Plugins);
        options.ConfigureServices = services => services.AddSingleton<IExperimentLogger, ThrowingLogger>();
        await using ConduitHost host = ConduitHost.Start(options);
        // Loggers are created per run, in the run's scope.
        var job = new JobDefinition(Path.Combine(_temp.Path, "flood.json"), "flood", new ConfigurationBuilder().Build(), TrainerSettings.Default with { DefaultRootDir = _temp.Path });
        using var scope = Conduit.Host.Training.Runs.RunScope.Open(host, job, "flood", new Conduit.Configuration.SettingsReader(job.Configuration));
        var loggers = scope.ResolveAll<IExperimentLogger>().Where(l => l.Name is "csv" or "tensorboard" or "sqlite").ToList();
        var throwing = (ThrowingLogger)scope.ResolveAll<IExperimentLogger>().Single(l => l is ThrowingLogger);
        loggers.Add(throwing);
        ExperimentLoggerSession session = ExperimentLoggerSession.Start(host.Services, loggers, "flood");

        host.Services.GetRequiredService<IPublisher<RunStarted>>().Publish(new RunStarted { RunId = "flood", Name = "flood", Stage = "fit", StartedAt = DateTimeOffset.UtcNow, Hyperparameters = new Dictionary<string, string>(), RootDirectory = _temp.Path });
        var metrics = host.Services.GetRequiredService<IPublisher<MetricsLogged>>();
        for (int step = 0; step < Count; step++)
        {
            metrics.Publish(new MetricsLogged { RunId = "flood", Step = step, Epoch = step / 1000, Metrics = new Dictionary<string, double> { ["m"] = step } });
        }
        host.Services.GetRequiredService<IPublisher<RunEnded>>().Publish(new RunEnded { RunId = "flood", Status = RunStatus.Completed, Metrics = new Dictionary<string, double>(), Duration = TimeSpan.Zero, Error = null });
        await session.CompleteAsync();

        string version = Path.Combine(_temp.Path, "flood", "version_0");
        Dictionary<(long, string), double> csv = ReadMetricsCsv(Path.Combine(version, "metrics.csv"));
        Assert.Equal(Count, csv.Count);
        Assert.Equal(Count - 1, csv[(Count - 1, "m")]);
        int scalars = Directory.GetFiles(version, "events.out.tfevents.*").SelectMany(EventFileReader.Read).Sum(e => e.Values.Count(v => v.Tag == "m"));
        Assert.Equal(Count, scalars);
        using (RunStore store = RunStore.OpenExisting(Path.Combine(_temp.Path, "conduit.db")))
        {
            Assert.Equal(Count, store.Metric("flood", "m").Count);
        }
        Assert.Equal(Count + 2, throwing.Calls); // every message reached it, though every one threw
        Assert.Equal(Count + 2, session.Failures["throwing"]);
        Assert.Equal(0, session.Failures["csv"]);
    }

    [Fact]
    public async Task A_resumed_run_appends_to_its_own_files_without_repeating_a_step()
    {
        string job = TrainingHarness.WriteDigitsJob(_temp.Path, ", \"log_every_n_steps\": 1");
        string[] loggers = ["--set", "loggers.0=csv", "--set", "loggers.1=tensorboard", "--set", "loggers.2=sqlite"];
        var first = await CliRunner.RunAsync(["run", job, "--plugins", RepoPaths.Plugins, "--json", "--set", "trainer.max_epochs=2", .. loggers]);
        Assert.True(first.ExitCode == 0, first.Error);
        string version = Assert.Single(Directory.GetDirectories(Path.Combine(_temp.Path, "runs", "digits-test"), "version_*"));
        // A crash after the checkpoint would leave later rows behind: the resumed run must drop them, not repeat them.
        File.AppendAllText(Path.Combine(version, "metrics.csv"), "999999,1,,\n");

        var resumed = await CliRunner.RunAsync(["run", job, "--plugins", RepoPaths.Plugins, "--json", "--set", "trainer.max_epochs=4", "--resume", "last", .. loggers]);
        Assert.True(resumed.ExitCode == 0, resumed.Error);

        Assert.Equal(version, Assert.Single(Directory.GetDirectories(Path.Combine(_temp.Path, "runs", "digits-test"), "version_*")));
        Dictionary<(long, string), double> csv = ReadMetricsCsv(Path.Combine(version, "metrics.csv"));
        long[] trainSteps = [.. csv.Keys.Where(k => k.Item2 == "train_loss").Select(k => k.Item1).Order()];
        Assert.Equal(trainSteps.Distinct(), trainSteps);
        Assert.Equal(Enumerable.Range(1, trainSteps.Length).Select(i => (long)i), trainSteps);
        Assert.DoesNotContain(csv.Keys, k => k.Item1 == 999999);
        Assert.Equal(2, Directory.GetFiles(version, "events.out.tfevents.*").Length);
        using (RunStore store = RunStore.OpenExisting(Path.Combine(_temp.Path, "runs", "conduit.db")))
        {
            StoredRun run = Assert.Single(store.Runs());
            Assert.Equal(trainSteps, store.Metric(run.Id, "train_loss").Select(p => p.Step));
        }
        Assert.Contains(Directory.GetFiles(version, "events.out.tfevents.*").SelectMany(EventFileReader.Read), e => e.Restart);
    }

    [Fact]
    public async Task Several_runs_writing_one_store_at_once_keep_every_value()
    {
        string path = Path.Combine(_temp.Path, "shared.db");
        await Task.WhenAll(Enumerable.Range(0, 4).Select(r => Task.Run(() =>
        {
            using RunStore store = RunStore.Open(path);
            store.Start($"run{r}", "shared", DateTimeOffset.UtcNow, new Dictionary<string, string> { ["r"] = $"{r}" }, null, null);
            for (int batch = 0; batch < 20; batch++)
            {
                store.AddMetrics(Enumerable.Range(batch * 500, 500).Select(step => ($"run{r}", (long)step, 0, "loss", (double)(r * 100_000 + step))));
            }
            store.End($"run{r}", "completed", DateTimeOffset.UtcNow);
        })));

        using RunStore reader = RunStore.OpenExisting(path);
        Assert.Equal(4, reader.Runs().Count);
        Assert.Equal([0, 1, 2, 3], reader.Runs().Select(r => r.Version).Order());
        for (int r = 0; r < 4; r++)
        {
            var values = reader.Metric($"run{r}", "loss");
            Assert.Equal(10_000, values.Count);
            Assert.All(values, v => Assert.Equal(r * 100_000 + v.Step, v.Value));
        }
    }

    [Fact]
    public async Task Runs_commands_list_compare_and_plot_two_runs_loss_curves()
    {
        string job = TrainingHarness.WriteDigitsJob(_temp.Path);
        foreach (string lr in new[] { "0.003", "0.0003" })
        {
            var run = await CliRunner.RunAsync("run", job, "--plugins", RepoPaths.Plugins, "--json", "--set", "loggers.0=sqlite", "--set", $"optimizer.lr={lr}");
            Assert.True(run.ExitCode == 0, run.Error);
        }
        string store = Path.Combine(_temp.Path, "runs", "conduit.db");
        string png = Path.Combine(_temp.Path, "loss.png");

        var list = await CliRunner.RunAsync("runs", "list", "--store", store, "--json");
        var compare = await CliRunner.RunAsync("runs", "compare", "digits-test/0", "digits-test/1", "--store", store);
        var plot = await CliRunner.RunAsync("runs", "plot", "digits-test/0", "digits-test/1", "--metric", "val_loss", "--out", png, "--store", store);
        var missing = await CliRunner.RunAsync("runs", "plot", "digits-test/0", "--metric", "val_los", "--out", png, "--store", store);

        Assert.Equal(2, System.Text.Json.JsonDocument.Parse(list.Output).RootElement.GetArrayLength());
        Assert.Contains("optimizer.lr", compare.Output, StringComparison.Ordinal);
        Assert.True(plot.ExitCode == 0, plot.Error);
        Assert.Contains("--metric: run digits-test-", missing.Error, StringComparison.Ordinal);
        Assert.Contains("has no 'val_los'; expected one of", missing.Error, StringComparison.Ordinal);
        using SkiaSharp.SKBitmap image = SkiaSharp.SKBitmap.Decode(png);
        Assert.Equal((900, 540), (image.Width, image.Height));
        // Not blank: two coloured curves besides the white background, grey grid and black text.
        var colours = new HashSet<SkiaSharp.SKColor>();
        for (int y = 0; y < image.Height; y += 2)
        {
            for (int x = 0; x < image.Width; x += 2)
            {
                SkiaSharp.SKColor c = image.GetPixel(x, y);
                if (Math.Abs(c.Red - c.Green) > 60 || Math.Abs(c.Green - c.Blue) > 60)
                {
                    colours.Add(new SkiaSharp.SKColor((byte)(c.Red / 64 * 64), (byte)(c.Green / 64 * 64), (byte)(c.Blue / 64 * 64)));
                }
            }
        }
        Assert.True(colours.Count >= 2, $"{colours.Count} saturated colours in the plot");
    }

    /// <summary>Every metric value a run has in the store, by step and name.</summary>
    internal static Dictionary<(long, string), double> ReadStore(RunStore store, string runId) =>
        store.MetricNames(runId).SelectMany(name => store.Metric(runId, name).Select(p => (Key: (p.Step, name), p.Value))).ToDictionary(p => p.Key, p => p.Value);

    internal static Dictionary<(long, string), double> ReadMetricsCsv(string path)
    {
        string[] lines = File.ReadAllLines(path);
        string[] header = lines[0].Split(',');
        Assert.Equal(["step", "epoch"], header[..2]);
        var values = new Dictionary<(long, string), double>();
        foreach (string line in lines.Skip(1))
        {
            string[] fields = line.Split(',');
            for (int c = 2; c < fields.Length; c++)
            {
                if (fields[c].Length > 0)
                {
                    values.Add((long.Parse(fields[0], CultureInfo.InvariantCulture), header[c]), double.Parse(fields[c], CultureInfo.InvariantCulture));
                }
            }
        }
        return values;
    }

    private sealed class ThrowingLogger : IExperimentLogger
    {
        private int _calls;

        public int Calls => _calls;

        public string Name => "throwing";

        public ValueTask RunStartedAsync(RunStarted run, CancellationToken cancellationToken) => Throw();

        public ValueTask LogMetricsAsync(MetricsLogged metrics, CancellationToken cancellationToken) => Throw();

        public ValueTask RunEndedAsync(RunEnded run, CancellationToken cancellationToken) => Throw();

        public ValueTask FlushAsync(CancellationToken cancellationToken) => Throw();

        private ValueTask Throw()
        {
            Interlocked.Increment(ref _calls);
            throw new InvalidOperationException("a broken logger");
        }
    }
}
