using System.Globalization;

namespace Conduit.Configuration;

/// <summary>The numbers a setting allows, and the words that say so in an error message.</summary>
/// <param name="Min">The lower bound (<see cref="double.NegativeInfinity"/> for none).</param>
/// <param name="MinInclusive">Whether <paramref name="Min"/> itself is allowed.</param>
/// <param name="Max">The upper bound (<see cref="double.PositiveInfinity"/> for none).</param>
/// <param name="MaxInclusive">Whether <paramref name="Max"/> itself is allowed.</param>
public readonly record struct SettingRange(double Min, bool MinInclusive, double Max, bool MaxInclusive)
{
    /// <summary>Numbers greater than 0 (a learning rate).</summary>
    public static SettingRange Positive { get; } = new(0, false, double.PositiveInfinity, false);

    /// <summary>Numbers of at least 0 (a weight decay).</summary>
    public static SettingRange NonNegative { get; } = new(0, true, double.PositiveInfinity, false);

    /// <summary>[0, 1): a probability that must leave something (dropout), a momentum.</summary>
    public static SettingRange UnitOpen { get; } = new(0, true, 1, false);

    /// <summary>(0, 1): a fraction strictly inside (a decay factor).</summary>
    public static SettingRange Fraction { get; } = new(0, false, 1, false);

    /// <summary>[<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static SettingRange Between(double min, double max) => new(min, true, max, true);

    /// <summary>[<paramref name="min"/>, ∞).</summary>
    public static SettingRange AtLeast(double min) => new(min, true, double.PositiveInfinity, false);

    /// <summary>Whether <paramref name="value"/> is allowed.</summary>
    public bool Contains(double value) =>
        (MinInclusive ? value >= Min : value > Min) && (MaxInclusive ? value <= Max : value < Max);

    /// <summary>The range in words: <c>a number greater than 0</c>, <c>a number of at least 0 and less than 1</c>.</summary>
    public string Description
    {
        get
        {
            string? lower = double.IsNegativeInfinity(Min) ? null : MinInclusive ? $"of at least {Format(Min)}" : $"greater than {Format(Min)}";
            string? upper = double.IsPositiveInfinity(Max) ? null : MaxInclusive ? $"at most {Format(Max)}" : $"less than {Format(Max)}";
            return (lower, upper) switch
            {
                (null, null) => "a number",
                (_, null) => $"a number {lower}",
                (null, _) => $"a number {(MaxInclusive ? "of " : "")}{upper}",
                _ when MinInclusive && MaxInclusive => $"a number from {Format(Min)} to {Format(Max)}",
                _ => $"a number {lower} and {upper}",
            };
        }
    }

    /// <summary>Integers in [<paramref name="min"/>, <paramref name="max"/>] in words.</summary>
    internal static string Integers(long min, long max) => (min, max) switch
    {
        (long.MinValue or int.MinValue, long.MaxValue or int.MaxValue) => "an integer",
        (long.MinValue or int.MinValue, _) => $"an integer of at most {max}",
        (_, long.MaxValue or int.MaxValue) => $"an integer of at least {min}",
        _ => $"an integer from {min} to {max}",
    };

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
