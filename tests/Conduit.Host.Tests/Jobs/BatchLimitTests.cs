using Conduit.Host.Jobs;

namespace Conduit.Host.Tests.Jobs;

public sealed class BatchLimitTests
{
    [Theory]
    [InlineData("10", 100, 10)]
    [InlineData("1", 100, 1)]
    [InlineData("1.0", 100, 100)]
    [InlineData("0.25", 100, 25)]
    [InlineData("0.001", 100, 1)]
    [InlineData("0", 100, 0)]
    [InlineData("500", 100, 100)]
    public void Counts_and_fractions_resolve_as_in_Lightning(string text, long available, long expected)
    {
        Assert.True(BatchLimit.TryParse(text, out BatchLimit limit));
        Assert.Equal(expected, limit.Resolve(available));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("abc")]
    public void Rejects_what_is_neither(string text) => Assert.False(BatchLimit.TryParse(text, out _));
}
