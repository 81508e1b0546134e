namespace Conduit.Server.Tests.Support;

/// <summary>Small sweeps over the digits job, as a client posts them or a user writes them in a file.</summary>
internal static class Sweeps
{
    /// <summary>A sweep document with the digits job inline; <paramref name="body"/> holds its own keys.</summary>
    public static string Inline(string body, int epochs, string dataPath = "samples/data/digits.csv") =>
        $$"""{ {{body}}, "job": {{Jobs.Digits("trial", epochs).Replace("samples/data/digits.csv", dataPath, StringComparison.Ordinal)}} }""";

    /// <summary>A grid over the learning rate whose second point (1e-5) trails far behind the first at epoch 1.</summary>
    public static string TrailingGrid(int epochs = 4) => Inline("""
        "name": "grid", "method": "grid", "metric": { "name": "val_loss" }, "max_concurrent": 1,
        "parameters": { "optimizer.lr": { "values": [0.01, 0.00001, 0.003] } },
        "early_stop": { "type": "asha", "grace_period": 1, "reduction_factor": 2 }
        """, epochs);

    /// <summary>Random trials over the learning rate and hidden size, two at a time.</summary>
    public static string Random(int trials, int epochs) => Inline($$"""
        "name": "random", "method": "random", "seed": 3, "max_trials": {{trials}}, "max_concurrent": 2, "metric": { "name": "val_acc", "goal": "maximize" },
        "parameters": { "optimizer.lr": { "distribution": "log_uniform", "min": 0.001, "max": 0.05 }, "model.hidden": { "values": [[8], [16], [32]] } }
        """, epochs, Path.Combine(RepoPaths.Root, "samples", "data", "digits.csv"));
}
