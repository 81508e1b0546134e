using System.Globalization;
using System.Text;
using Conduit.Host.Tests.Cli;
using Conduit.Host.Tests.Support;
using Conduit.Host.Tests.Training;
using Conduit.Host.Tracking;
using Conduit.Messages;
using Conduit.Messaging;
using Conduit.Tracking;
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
    public async Task The_csv_and_tensorboard_loggers_record_the_same_values_step_for_step()
    {
        string job = TrainingHarness.WriteDigitsJob(_temp.Path, ", \"log_every_n_steps\": 5");
        var result = await CliRunner.RunAsync("run", job, "--plugins", RepoPaths.Plugins, "--json", "--set", "loggers.0=csv", "--set", "loggers.1=tensorboard");
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
        var loggers = host.Plugins.ResolveAll<IExperimentLogger>(host.Services).Where(l => l.Name is "csv" or "tensorboard").ToList();
        var throwing = (ThrowingLogger)host.Services.GetServices<IExperimentLogger>().Single(l => l is ThrowingLogger);
        loggers.Add(throwing);
        ExperimentLoggerSession session = ExperimentLoggerSession.Start(host.Services, loggers, "flood");

        host.Services.GetRequiredService<IPublisher<RunStarted>>().Publish(new RunStarted("flood", "flood", "fit", DateTimeOffset.UtcNow, new Dictionary<string, string>()) { RootDirectory = _temp.Path });
        var metrics = host.Services.GetRequiredService<IPublisher<MetricsLogged>>();
        for (int step = 0; step < Count; step++)
        {
            metrics.Publish(new MetricsLogged("flood", step, step / 1000, new Dictionary<string, double> { ["m"] = step }));
        }
        host.Services.GetRequiredService<IPublisher<RunEnded>>().Publish(new RunEnded("flood", RunStatus.Completed, new Dictionary<string, double>(), TimeSpan.Zero, null));
        await session.CompleteAsync();

        string version = Path.Combine(_temp.Path, "flood", "version_0");
        Dictionary<(long, string), double> csv = ReadMetricsCsv(Path.Combine(version, "metrics.csv"));
        Assert.Equal(Count, csv.Count);
        Assert.Equal(Count - 1, csv[(Count - 1, "m")]);
        int scalars = Directory.GetFiles(version, "events.out.tfevents.*").SelectMany(EventFileReader.Read).Sum(e => e.Values.Count(v => v.Tag == "m"));
        Assert.Equal(Count, scalars);
        Assert.Equal(Count + 2, throwing.Calls); // every message reached it, though every one threw
        Assert.Equal(Count + 2, session.Failures["throwing"]);
        Assert.Equal(0, session.Failures["csv"]);
    }

    [Fact]
    public async Task A_resumed_run_appends_to_its_own_files_without_repeating_a_step()
    {
        string job = TrainingHarness.WriteDigitsJob(_temp.Path, ", \"log_every_n_steps\": 1");
        string[] loggers = ["--set", "loggers.0=csv", "--set", "loggers.1=tensorboard"];
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
        Assert.Contains(Directory.GetFiles(version, "events.out.tfevents.*").SelectMany(EventFileReader.Read), e => e.Restart);
    }

    private static Dictionary<(long, string), double> ReadMetricsCsv(string path)
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

        public ValueTask LogArtifactAsync(ArtifactSaved artifact, CancellationToken cancellationToken) => Throw();

        public ValueTask RunEndedAsync(RunEnded run, CancellationToken cancellationToken) => Throw();

        private ValueTask Throw()
        {
            Interlocked.Increment(ref _calls);
            throw new InvalidOperationException("a broken logger");
        }
    }
}
