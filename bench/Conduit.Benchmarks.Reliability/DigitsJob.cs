using System.Text.Json;
using Conduit.Benchmarks;

namespace Conduit.Benchmarks.Reliability;

/// <summary>
/// The campaign's job: the digits sample, small, with a fixed seed, every step logged by csv, tensorboard and sqlite,
/// a checkpoint at every epoch's end and an ONNX export at the end.
/// </summary>
internal static class DigitsJob
{
    public const int Epochs = 8;

    public static string Data => Path.Combine(RepositoryRoot.Path, "samples", "data", "digits.csv");

    /// <summary>The job as a document; <paramref name="root"/> null leaves trainer.default_root_dir to the server.</summary>
    public static string Document(string name, string? root, int epochs = Epochs, int[]? hidden = null, string[]? loggers = null, string export = "onnx") =>
        JsonSerializer.Serialize(new
        {
            name,
            data = new { source = "csv", path = Data, label = "label", batch_size = 32, normalize = "standardize", split = new { validation = 0.1, test = 0.2, seed = 42, stratify = true } },
            model = new { type = "mlp", hidden = hidden ?? [256], activation = "relu", dropout = 0.2 },
            optimizer = new { type = "adamw", lr = 0.001, weight_decay = 0.0001, scheduler = new { type = "cosine" } },
            trainer = root is null
                ? (object)new { max_epochs = epochs, seed = 42, deterministic = true, accelerator = "cpu", num_threads = 1, log_every_n_steps = 1 }
                : new { max_epochs = epochs, seed = 42, deterministic = true, accelerator = "cpu", num_threads = 1, log_every_n_steps = 1, default_root_dir = root },
            loggers = loggers ?? ["csv", "tensorboard", "sqlite"],
            export,
            callbacks = new { model_checkpoint = new { monitor = "val_acc", mode = "max", save_top_k = 1, save_last = true } },
        });

    /// <summary>A local run's folder: its job file and everything it writes.</summary>
    public sealed record Folder(string Path)
    {
        public string Job => System.IO.Path.Combine(Path, "job.json");
        public string Checkpoints => System.IO.Path.Combine(Path, "runs", "digits", "checkpoints");
        public string Version => System.IO.Path.Combine(Path, "runs", "digits", "version_0");
        public string Store => System.IO.Path.Combine(Path, "runs", "conduit.db");
        public string PendingExport => System.IO.Path.Combine(Path, "runs", "digits", "model.onnx.pending.onnx");

        public static Folder Create(string path)
        {
            Directory.CreateDirectory(path);
            var folder = new Folder(path);
            File.WriteAllText(folder.Job, Document("digits", System.IO.Path.Combine(path, "runs")));
            return folder;
        }
    }
}
