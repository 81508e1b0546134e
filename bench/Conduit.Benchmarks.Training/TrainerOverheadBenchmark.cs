using Conduit.Configuration;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Conduit.Data;
using Conduit.Frameworks;
using Conduit.Host;
using Conduit.Host.Data;
using Conduit.Host.Jobs;
using Conduit.Host.Plugins;
using Conduit.Host.Training;
using Conduit.Messages;
using Conduit.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TorchSharp;
using static TorchSharp.torch;

namespace Conduit.Benchmarks.Training;

/// <summary>
/// The Training issue's overhead check: a hand-written TorchSharp loop and the same MLP trained through the host's
/// trainer (bus, callbacks, metrics), alternating in one process on a 60000x784 synthetic workload. Prints the time
/// per epoch of each, the ratio, and the peak resident memory of each phase.
/// </summary>
internal static class TrainerOverheadBenchmark
{
    private const int Rows = 60_000;
    private const int Features = 784;
    private const int Classes = 10;
    private const int Hidden = 128;
    private const int BatchSize = 64;
    private const double LearningRate = 1e-3;
    private const int Seed = 1;

    public static async Task<int> RunAsync(string[] args)
    {
        // One epoch per turn, sides alternating, many rounds: on a shared machine the load drifts over seconds, so
        // neighbouring epochs of the two sides are the fairest comparison (the paired ratio below).
        int rounds = args.Length == 2 && args[0] == "--rounds" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
        const int epochs = 1;
        InMemoryDataset data = Synthetic();

        var options = new ConduitHostOptions();
        foreach (string root in PluginDiscovery.DefaultRoots(AppContext.BaseDirectory))
        {
            options.Plugins.Roots.Add(root);
        }
        options.Plugins.Disabled.Add("console");
        await using ConduitHost host = ConduitHost.Start(options);
        PluginRecord torchsharp = host.Plugins.Find("torchsharp") is { Status: PluginStatus.Loaded } found
            ? found
            : throw new InvalidOperationException("the torchsharp plugin is not loaded; build it first (dotnet build src/Host -c Release)");
        ITrainingFramework framework = host.Plugins.ResolveAll<ITrainingFramework>(host.Services).Single(f => f.Name == "torchsharp");
        PluginTorchSharp.Bind(torchsharp.LoadContext!);

        IConfiguration job = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["model:type"] = "mlp",
            ["model:hidden:0"] = Hidden.ToString(CultureInfo.InvariantCulture),
            ["optimizer:type"] = "adam",
            ["optimizer:lr"] = LearningRate.ToString(CultureInfo.InvariantCulture),
        }).Build();
        // Builds a session once: libtorch loads (the plugin's way) before either side is timed.
        framework.CreateTrainingSession(new TrainingSessionOptions { Model = new SettingsReader(job.GetSection("model"), "model"), Optimizer = new SettingsReader(job.GetSection("optimizer"), "optimizer"), Schema = data.Schema, Device = "cpu", Seed = Seed }).Dispose();

        Console.WriteLine($"Trainer overhead: MLP {Features}-{Hidden}-{Classes}, {Rows} rows, batch {BatchSize}, Adam, {rounds} rounds of one epoch per side (order alternating, after a warm-up epoch of each), {Environment.ProcessorCount} cores");
        // Warm-up: libtorch's thread pool, the JIT and the page cache, for both sides, before anything is timed.
        HandWritten(data, 1);
        await ThroughTrainerAsync(host, framework, job, data, 1);

        var handWritten = new List<double>();
        var conduit = new List<double>();
        long handWrittenPeak = 0, conduitPeak = 0;
        using var memory = new MemorySampler();
        for (int round = 0; round < rounds; round++)
        {
            // Alternate which side goes first, so that neither always inherits the other's leftovers.
            for (int turn = 0; turn < 2; turn++)
            {
                memory.Restart();
                if ((round + turn) % 2 == 0)
                {
                    handWritten.AddRange(HandWritten(data, epochs));
                    handWrittenPeak = Math.Max(handWrittenPeak, memory.Restart());
                }
                else
                {
                    conduit.AddRange(await ThroughTrainerAsync(host, framework, job, data, epochs));
                    conduitPeak = Math.Max(conduitPeak, memory.Restart());
                }
            }
        }

        double hw = Median(handWritten), cd = Median(conduit);
        double paired = Median(handWritten.Zip(conduit, (h, c) => c / h));
        Console.WriteLine();
        Console.WriteLine("| Loop                       | epochs (s)                              | median s/epoch | ratio  | peak RSS (MB) | ratio |");
        Console.WriteLine("|----------------------------|-----------------------------------------|---------------:|-------:|--------------:|------:|");
        Console.WriteLine(Row("hand-written TorchSharp", handWritten, hw, 1.0, handWrittenPeak, 1.0));
        Console.WriteLine(Row("conduit Trainer", conduit, cd, cd / hw, conduitPeak, (double)conduitPeak / handWrittenPeak));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"host overhead per epoch: {(paired - 1) * 100:+0.0;-0.0}% (median of the paired round ratios; {(cd / hw - 1) * 100:+0.0;-0.0}% by medians; target < 2%); peak memory: {((double)conduitPeak / handWrittenPeak - 1) * 100:+0.0;-0.0}% (target within 10%)"));
        return 0;
    }

    private static List<double> HandWritten(InMemoryDataset data, int epochs)
    {
        manual_seed(Seed);
        using var model = nn.Sequential(("fc1", nn.Linear(Features, Hidden)), ("act1", nn.ReLU()), ("fc2", nn.Linear(Hidden, Classes)));
        using var optimizer = optim.Adam(model.parameters(), lr: LearningRate);
        ReadOnlySpan<float> features = data.Features;
        ReadOnlySpan<long> labels = data.Classes;
        var times = new List<double>();
        var x = new float[BatchSize * Features];
        var y = new long[BatchSize];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            model.train();
            int[] order = SeededShuffle.Permutation(data.Length, Seed, epoch);
            for (int start = 0; start < data.Length; start += BatchSize)
            {
                int n = Math.Min(BatchSize, data.Length - start);
                for (int i = 0; i < n; i++)
                {
                    features.Slice(order[start + i] * Features, Features).CopyTo(x.AsSpan(i * Features));
                    y[i] = labels[order[start + i]];
                }
                using DisposeScope scope = NewDisposeScope();
                Tensor input = empty([n, Features], ScalarType.Float32);
                MemoryMarshal.AsBytes(x.AsSpan(0, n * Features)).CopyTo(input.bytes);
                Tensor target = torch.tensor(y.AsSpan(0, n).ToArray(), [n]);
                Tensor output = model.forward(input);
                Tensor loss = nn.functional.cross_entropy(output, target);
                loss.backward();
                optimizer.step();
                optimizer.zero_grad();
                // The same two reads the trainer makes: the loss and the correct count.
                _ = loss.item<float>();
                _ = output.argmax(1).eq(target).sum().item<long>();
            }
            times.Add(clock.Elapsed.TotalSeconds);
        }
        return times;
    }

    private static async Task<List<double>> ThroughTrainerAsync(ConduitHost host, ITrainingFramework framework, IConfiguration configuration, InMemoryDataset data, int epochs)
    {
        var job = new JobDefinition(Path.Combine(Path.GetTempPath(), "overhead.job.json"), "overhead", configuration,
            TrainerSettings.Default with { MaxEpochs = epochs, Seed = Seed, EnableCheckpointing = false, EnableModelSummary = false });
        var times = new List<double>();
        using IDisposable subscription = host.Services.GetRequiredService<ISubscriber<EpochEnded>>().Subscribe(e => times.Add(e.Duration.TotalSeconds));
        using ITrainingSession session = framework.CreateTrainingSession(
            new TrainingSessionOptions { Model = new SettingsReader(job.Model, "model"), Optimizer = new SettingsReader(job.Optimizer, "optimizer"), Schema = data.Schema, Device = "cpu", Seed = Seed, MaxEpochs = epochs, StepsPerEpoch = (Rows + BatchSize - 1) / BatchSize });
        var trainer = new Trainer(new TrainerRun("overhead", job, "torchsharp", data.Schema, BatchSize, []), session, host.Services);
        RunOutcome outcome = await trainer.FitAsync(data, validation: null);
        await host.Bus.DrainAsync(CancellationToken.None);
        return outcome.Status == RunStatus.Completed ? times : throw new InvalidOperationException($"the run ended {outcome.Status}: {outcome.Reason}");
    }

    private static InMemoryDataset Synthetic()
    {
        var random = new Random(Seed);
        var features = new float[Rows * Features];
        var labels = new long[Rows];
        for (int i = 0; i < Rows; i++)
        {
            labels[i] = random.Next(Classes);
            for (int j = 0; j < Features; j++)
            {
                // Class-dependent means make the task learnable, as a real one is.
                features[i * Features + j] = (float)(random.NextDouble() - 0.5 + (j % Classes == labels[i] ? 0.5 : 0));
            }
        }
        var schema = new DataSchema(new TensorShape(Features), [], TargetKind.Classification, [.. Enumerable.Range(0, Classes).Select(c => c.ToString(CultureInfo.InvariantCulture))]);
        return new InMemoryDataset(schema, features, labels);
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Row(string name, List<double> times, double median, double ratio, long peak, double peakRatio) =>
        string.Create(CultureInfo.InvariantCulture,
            $"| {name,-26} | {string.Join(" ", times.Select(t => t.ToString("F3", CultureInfo.InvariantCulture))),-39} | {median,14:F3} | {ratio,6:F3} | {peak / 1048576.0,13:F0} | {peakRatio,5:F2} |");
}
