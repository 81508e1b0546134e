using System.Diagnostics;
using Conduit.Data;
using Conduit.Frameworks.TorchSharp.Tests.Support;
using Conduit.Host.Data;

namespace Conduit.Frameworks.TorchSharp.Tests;

/// <summary>A step leaves nothing behind: TorchSharp's live-tensor count and the process's memory stay flat.</summary>
public sealed class ResourceTests(LoadedPlugin plugin) : TorchSharpTests(plugin)
{
    [Fact]
    public void Ten_thousand_steps_leak_no_tensor()
    {
        InMemoryDataset data = SyntheticData.Classification(64, 4, 2);
        List<DataBatch> batches = Sessions.Batches(data, 8);
        using ITrainingSession session = Framework.CreateTrainingSession(Sessions.Options(data, """{ "type": "mlp", "hidden": [8], "dropout": 0.1 }""", """{ "lr": 0.001 }""") with { GradientClipValue = 1 });
        for (int i = 0; i < 100; i++)
        {
            session.TrainStep(batches[i % batches.Count], step: true);
        }
        long tensors = LiveTensors();
        long memory = Resident();

        for (int i = 0; i < 10_000; i++)
        {
            session.TrainStep(batches[i % batches.Count], step: i % 2 == 1);
            if (i % 1000 == 0)
            {
                session.EvaluateStep(batches[0]);
                session.Predict(batches[0].Features);
            }
        }

        Assert.Equal(tensors, LiveTensors());
        long grown = Resident() - memory;
        Assert.True(grown < 32 << 20, $"the process grew by {grown >> 20} MB over 10,000 steps");
    }

    private static long Resident()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
