using Conduit.Loggers.Console;

namespace Conduit.Plugins.Tests;

public sealed class FormattingTests
{
    [Theory]
    [InlineData(0.12345, "0.1235")]
    [InlineData(0, "0.0000")]
    [InlineData(-2.5, "-2.5000")]
    [InlineData(1e-5, "1.000e-5")]
    [InlineData(3.5e7, "3.500e+7")]
    [InlineData(double.NaN, "nan")]
    [InlineData(double.PositiveInfinity, "inf")]
    public void Metric_values_are_short_and_invariant(double value, string expected) => Assert.Equal(expected, Formatting.Metric(value));

    [Theory]
    [InlineData(0.045, "45 ms")]
    [InlineData(1.23, "1.2 s")]
    [InlineData(59.9, "59.9 s")]
    [InlineData(123, "2m 03s")]
    [InlineData(3723, "1h 02m 03s")]
    public void Durations_are_human(double seconds, string expected) => Assert.Equal(expected, Formatting.Duration(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData(235.24, "235.2 it/s")]
    [InlineData(0.5, "2.00 s/it")]
    [InlineData(0, "? it/s")]
    public void Rates_read_like_tqdm(double perSecond, string expected) => Assert.Equal(expected, Formatting.Rate(perSecond));

    [Fact]
    public void Counts_have_thousands_separators() => Assert.Equal("1,234,567", Formatting.Count(1_234_567));
}
