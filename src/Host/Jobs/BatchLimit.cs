using System.Globalization;

namespace Conduit.Host.Jobs;

/// <summary>
/// Lightning's batch limits (<c>limit_train_batches</c>, <c>overfit_batches</c>, <c>val_check_interval</c>):
/// a whole number is a count of batches, a number in (0, 1] is a fraction of the epoch.
/// </summary>
public readonly record struct BatchLimit(long? Count, double? Fraction)
{
    /// <summary>No limit: every batch.</summary>
    public static BatchLimit All { get; } = new(null, 1.0);

    /// <summary>Zero batches.</summary>
    public static BatchLimit None { get; } = new(0, null);

    /// <summary>Whether this limit allows no batch at all.</summary>
    public bool IsZero => Count == 0 || Fraction == 0;

    /// <summary>The number of batches this limit allows out of <paramref name="available"/> (at least 1 for a non-zero fraction).</summary>
    public long Resolve(long available) =>
        Count is long count ? Math.Min(count, available)
        : Fraction is double f ? (f >= 1.0 ? available : Math.Max(f == 0 ? 0 : 1, (long)Math.Floor(available * f)))
        : available;

    /// <summary>Parses a setting's text: an integer count, or a fraction in [0, 1].</summary>
    public static bool TryParse(string text, out BatchLimit limit)
    {
        limit = default;
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long count) && count >= 0 && !text.Contains('.', StringComparison.Ordinal))
        {
            // As in Lightning, the integer 1 means one batch and 1.0 means the whole epoch.
            limit = new BatchLimit(count, null);
            return true;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double fraction) && fraction is >= 0 and <= 1)
        {
            limit = new BatchLimit(null, fraction);
            return true;
        }
        return false;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        Count is long c ? c.ToString(CultureInfo.InvariantCulture) : (Fraction ?? 1.0).ToString(CultureInfo.InvariantCulture);
}
