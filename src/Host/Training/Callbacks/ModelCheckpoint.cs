using System.Globalization;
using System.Text.Json;
using Conduit.Host.Checkpoints;
using Conduit.Messages;
using Conduit.Training;

namespace Conduit.Host.Training.Callbacks;

/// <summary>
/// Lightning's ModelCheckpoint: at the end of every <c>every_n_epochs</c>-th epoch, keeps the <c>save_top_k</c> best
/// checkpoints by <c>monitor</c> (the latest ones when no monitor is set) and, with <c>save_last</c>, <c>last.ckpt</c>.
/// </summary>
/// <remarks>It uses public contracts only: the trainer context writes the checkpoints.</remarks>
public sealed class ModelCheckpoint : ITrainerCallback
{
    private readonly List<(string Path, double Score)> _best = [];
    private readonly ITrainerContext _trainer;

    /// <summary>Creates the callback.</summary>
    public ModelCheckpoint(ITrainerContext trainer, string directory, string? monitor, MonitorMode mode, int saveTopK, bool saveLast, int everyNEpochs)
    {
        _trainer = trainer;
        Directory = directory;
        Monitor = monitor;
        Mode = mode;
        SaveTopK = saveTopK;
        SaveLast = saveLast;
        EveryNEpochs = everyNEpochs;
    }

    /// <inheritdoc/>
    public string Name => "model_checkpoint";

    /// <summary>Where checkpoints are written.</summary>
    public string Directory { get; }

    /// <summary>The metric that ranks checkpoints; null to keep the latest.</summary>
    public string? Monitor { get; }

    /// <summary>Whether lower or higher is better.</summary>
    public MonitorMode Mode { get; }

    /// <summary>How many ranked checkpoints to keep (-1: all, 0: none).</summary>
    public int SaveTopK { get; }

    /// <summary>Whether to write <c>last.ckpt</c> too.</summary>
    public bool SaveLast { get; }

    /// <summary>Checkpoint every n epochs.</summary>
    public int EveryNEpochs { get; }

    /// <summary>The best checkpoint so far, or null.</summary>
    public string? BestModelPath => _best.Count == 0 ? null : _best[0].Path;

    /// <inheritdoc/>
    public void OnEpochEnded(EpochEnded message)
    {
        if ((message.Epoch + 1) % EveryNEpochs != 0)
        {
            return;
        }
        if (SaveTopK != 0)
        {
            double score;
            if (Monitor is null)
            {
                score = message.GlobalStep; // newest first when ranking by recency
            }
            else if (!message.Metrics.TryGetValue(Monitor, out score))
            {
                throw new InvalidOperationException(
                    $"callbacks.model_checkpoint.monitor: '{Monitor}' was not logged at the end of epoch {message.Epoch + 1}; logged: {string.Join(", ", message.Metrics.Keys.Order())}");
            }
            MonitorMode mode = Monitor is null ? MonitorMode.Max : Mode;
            bool qualifies = SaveTopK < 0 || _best.Count < SaveTopK || mode.Improves(score, _best[^1].Score);
            if (qualifies)
            {
                string file = Path.Combine(Directory, string.Create(CultureInfo.InvariantCulture,
                    $"epoch={message.Epoch}-step={message.GlobalStep}{(Monitor is null ? "" : $"-{Monitor}={score:F4}")}{CheckpointFile.Extension}"));
                _trainer.SaveCheckpoint(file, Monitor is null ? null : new KeyValuePair<string, double>(Monitor, score));
                _best.Add((file, score));
                _best.Sort((a, b) => mode == MonitorMode.Min ? a.Score.CompareTo(b.Score) : b.Score.CompareTo(a.Score));
                while (SaveTopK > 0 && _best.Count > SaveTopK)
                {
                    File.Delete(_best[^1].Path);
                    _best.RemoveAt(_best.Count - 1);
                }
            }
        }
        if (SaveLast)
        {
            _trainer.SaveCheckpoint(Path.Combine(Directory, "last" + CheckpointFile.Extension));
        }
    }

    /// <inheritdoc/>
    public string? SaveState() => JsonSerializer.Serialize(_best.Select(b => new Entry(b.Path, b.Score)).ToList());

    /// <inheritdoc/>
    public void LoadState(string state)
    {
        _best.Clear();
        foreach (Entry entry in JsonSerializer.Deserialize<List<Entry>>(state) ?? [])
        {
            // Its files are in this callback's folder, wherever the checkpoint was written (a folder moved, another machine).
            _best.Add((Path.Combine(Directory, Path.GetFileName(entry.Path)), entry.Score));
        }
    }

    private sealed record Entry(string Path, double Score);
}
