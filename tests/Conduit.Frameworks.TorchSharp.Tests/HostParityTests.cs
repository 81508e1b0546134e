using Conduit.Configuration;
using System.Runtime.InteropServices;
using Conduit.Data;
using Conduit.Frameworks.TorchSharp.Tests.Support;
using Conduit.Host.Data;
using Conduit.Host.Jobs;
using Conduit.Host.Messaging;
using Conduit.Host.Training;
using Conduit.Messages;
using Conduit.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TorchSharp;
using static TorchSharp.torch;

namespace Conduit.Frameworks.TorchSharp.Tests;

/// <summary>
/// The Training issue's acceptance criterion: with the same seed and data, the host's trainer loop driving the plugin's
/// session reproduces a hand-written TorchSharp loop loss for loss, exactly.
/// </summary>
public sealed class HostParityTests(LoadedPlugin plugin) : TorchSharpTests(plugin)
{
    private const int Seed = 7;
    private const int BatchSize = 32;
    private const int MaxEpochs = 3;
    private const double LearningRate = 0.01;

    [Fact]
    public async Task The_host_loop_reproduces_a_hand_written_TorchSharp_loop_loss_for_loss()
    {
        InMemoryDataset data = SyntheticData.Classification(200, 64, 10); // 7 batches an epoch, the last of 8
        TorchSharpBinding.EnsureNatives(Plugin);
        (double[] expected, float[] expectedWeights) = HandWritten(data);

        IConfiguration configuration = Json.Of($$"""
            { "model": { "type": "mlp", "hidden": [32] }, "optimizer": { "type": "adam", "lr": {{LearningRate}} } }
            """);
        var job = new JobDefinition(Path.Combine(Path.GetTempPath(), "parity.job.json"), "parity", configuration,
            TrainerSettings.Default with { MaxEpochs = MaxEpochs, Seed = Seed, EnableCheckpointing = false, LogEveryNSteps = 1 });
        await using ServiceProvider services = new ServiceCollection().AddConduitBus().BuildServiceProvider();
        var published = new List<double>();
        using IDisposable subscription = services.GetRequiredService<ISubscriber<BatchEnded>>().Subscribe(message => published.Add(message.Loss));
        using ITrainingSession session = Framework.CreateTrainingSession(
            new TrainingSessionOptions { Model = new SettingsReader(job.Model, "model"), Optimizer = new SettingsReader(job.Optimizer, "optimizer"), Schema = data.Schema, Device = "cpu", Seed = job.Trainer.Seed, Threads = 1, MaxEpochs = MaxEpochs, StepsPerEpoch = 7 });
        var trainer = new Trainer(new TrainerRun("parity", job, "torchsharp", data.Schema, BatchSize, []), session, services);

        RunOutcome outcome = await trainer.FitAsync(data, validation: null);

        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal(MaxEpochs * 7, published.Count);
        Assert.Equal(expected, published); // ==, not a tolerance
        Assert.Equal(expectedWeights, Weights(session));
    }

    // What a user would write with TorchSharp alone: the plugin's mlp (fc1, act1, fc2, built in that order after
    // manual_seed), Adam, and the host's batch order (SeededShuffle by seed and epoch).
    private static (double[] Losses, float[] Weights) HandWritten(InMemoryDataset data)
    {
        set_num_threads(1);
        manual_seed(Seed);
        using var model = nn.Sequential(("fc1", nn.Linear(64, 32)), ("act1", nn.ReLU()), ("fc2", nn.Linear(32, 10)));
        using var optimizer = optim.Adam(model.parameters(), lr: LearningRate);
        float[] features = data.Features.ToArray();
        long[] labels = data.Classes.ToArray();
        var losses = new List<double>();
        for (int epoch = 0; epoch < MaxEpochs; epoch++)
        {
            int[] order = SeededShuffle.Permutation(data.Length, Seed, epoch);
            for (int start = 0; start < data.Length; start += BatchSize)
            {
                int n = Math.Min(BatchSize, data.Length - start);
                var x = new float[n * 64];
                var y = new long[n];
                for (int i = 0; i < n; i++)
                {
                    Array.Copy(features, order[start + i] * 64, x, i * 64, 64);
                    y[i] = labels[order[start + i]];
                }
                using DisposeScope scope = NewDisposeScope();
                Tensor loss = nn.functional.cross_entropy(model.forward(Aligned(x, n)), torch.tensor(y, [n]));
                loss.backward();
                optimizer.step();
                optimizer.zero_grad();
                losses.Add(loss.item<float>());
            }
        }
        float[] weights = [.. model.parameters().SelectMany(p => p.data<float>().ToArray())];
        return ([.. losses], weights);
    }

    // torch.tensor(x, shape) would keep the managed array as the tensor's memory, and libtorch's matrix products
    // round by the input's address alignment, which for a managed array changes from run to run: even this loop
    // would not repeat itself bit for bit. Copying into libtorch's (64-byte aligned) memory, as the plugin does, does.
    private static Tensor Aligned(float[] x, int n)
    {
        Tensor input = empty([n, 64], ScalarType.Float32);
        MemoryMarshal.AsBytes(x.AsSpan()).CopyTo(input.bytes);
        return input;
    }
}
