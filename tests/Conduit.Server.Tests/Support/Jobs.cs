namespace Conduit.Server.Tests.Support;

/// <summary>Small digits jobs as a client submits them (data path relative to the server's data folder).</summary>
internal static class Jobs
{
    public static string Digits(string name = "digits-srv", int epochs = 3, string extra = "", int batchSize = 64, string trainer = "") => $$"""
        {
          "name": "{{name}}",
          "data": { "source": "csv", "path": "samples/data/digits.csv", "label": "label", "batch_size": {{batchSize}}, "normalize": "standardize",
                    "split": { "validation": 0.1, "test": 0.2, "seed": 7 } },
          "model": { "type": "mlp", "hidden": [16] },
          "optimizer": { "type": "adam", "lr": 0.01 },
          "trainer": { "max_epochs": {{epochs}}, "seed": 7, "num_threads": 1{{trainer}} },
          "callbacks": { "model_checkpoint": { "monitor": "val_acc", "mode": "max" } }{{extra}}
        }
        """;
}
