using System.Globalization;

namespace Conduit.Host.Training;

/// <summary>The loss became NaN or infinite: training cannot go on meaningfully.</summary>
public sealed class TrainingDivergedException(int epoch, long batch, double loss)
    : Exception(string.Create(CultureInfo.InvariantCulture, $"the loss became {loss} at epoch {epoch + 1}, batch {batch + 1}; lower optimizer.lr or set trainer.gradient_clip_val"));
