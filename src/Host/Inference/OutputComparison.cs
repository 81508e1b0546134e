using System.Globalization;
using Conduit.Data;

namespace Conduit.Host.Inference;

/// <summary>
/// How far one model's outputs are from another's on the same batch: the largest difference relative to the
/// expected value's size (never less than 1, so that outputs near zero are compared absolutely).
/// </summary>
/// <param name="Rows">The examples compared.</param>
/// <param name="Outputs">The values per example.</param>
/// <param name="MaxRelativeDifference">The largest <c>|actual - expected| / max(|expected|, 1)</c>.</param>
/// <param name="Row">Where it is: the example.</param>
/// <param name="Column">Where it is: the output.</param>
/// <param name="Expected">The expected value there.</param>
/// <param name="Actual">The actual value there.</param>
public sealed record OutputComparison(int Rows, int Outputs, double MaxRelativeDifference, int Row, int Column, float Expected, float Actual)
{
    /// <summary>Compares <paramref name="actual"/> with <paramref name="expected"/>.</summary>
    /// <exception cref="InvalidDataException">The shapes differ.</exception>
    public static OutputComparison Of(TensorBuffer<float> expected, TensorBuffer<float> actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        if (!expected.Shape.Equals(actual.Shape))
        {
            throw new InvalidDataException($"the outputs have shape {actual.Shape}; the original model's have {expected.Shape}");
        }
        ReadOnlySpan<float> e = expected.Memory.Span, a = actual.Memory.Span;
        int width = expected.Shape.Rank > 1 ? expected.Shape[1] : 1;
        double worst = -1;
        int at = 0;
        for (int i = 0; i < e.Length; i++)
        {
            double difference = Math.Abs((double)a[i] - e[i]) / Math.Max(Math.Abs((double)e[i]), 1);
            // NaN on either side is the worst difference there is.
            if (double.IsNaN(difference))
            {
                difference = double.PositiveInfinity;
            }
            if (difference > worst)
            {
                worst = difference;
                at = i;
            }
        }
        return new OutputComparison(expected.Shape[0], width, Math.Max(worst, 0), at / width, at % width, e.Length == 0 ? 0 : e[at], a.Length == 0 ? 0 : a[at]);
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"largest relative difference {MaxRelativeDifference:E2} over {Rows} rows x {Outputs} outputs (row {Row}, output {Column}: {Expected:R} expected, {Actual:R} exported)");
}
