using System.Globalization;

namespace Conduit.Frameworks.TorchSharp.Configuration;

/// <summary>An interval of allowed numbers and the words that describe it in an error message.</summary>
/// <param name="Min">The lower bound.</param>
/// <param name="MinInclusive">Whether <paramref name="Min"/> itself is allowed.</param>
/// <param name="Max">The upper bound.</param>
/// <param name="MaxInclusive">Whether <paramref name="Max"/> itself is allowed.</param>
internal readonly record struct NumberRange(double Min, bool MinInclusive, double Max, bool MaxInclusive)
{
    /// <summary>Any number greater than 0.</summary>
    public static NumberRange Positive { get; } = new(0, false, double.PositiveInfinity, false);

    /// <summary>Any number of at least 0.</summary>
    public static NumberRange NonNegative { get; } = new(0, true, double.PositiveInfinity, false);

    /// <summary>[0, 1): probabilities that must leave something (dropout), momentum coefficients.</summary>
    public static NumberRange UnitOpen { get; } = new(0, true, 1, false);

    /// <summary>(0, 1): fractions that must be strictly inside (a decay factor, pct_start).</summary>
    public static NumberRange Fraction { get; } = new(0, false, 1, false);

    /// <summary>Whether <paramref name="value"/> lies in the interval.</summary>
    public bool Contains(double value) =>
        (MinInclusive ? value >= Min : value > Min) && (MaxInclusive ? value <= Max : value < Max);

    /// <summary>The interval in words: <c>a number greater than 0</c>, <c>a number of at least 0 and less than 1</c>.</summary>
    public string Description
    {
        get
        {
            string lower = MinInclusive ? $"of at least {Format(Min)}" : $"greater than {Format(Min)}";
            if (double.IsPositiveInfinity(Max))
            {
                return $"a number {lower}";
            }
            string upper = MaxInclusive ? $"at most {Format(Max)}" : $"less than {Format(Max)}";
            return $"a number {lower} and {upper}";
        }
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
