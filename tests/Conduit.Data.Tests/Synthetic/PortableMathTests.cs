using Conduit.DataSources.Synthetic;

namespace Conduit.Data.Tests.Synthetic;

public sealed class PortableMathTests
{
    [Fact]
    public void Exp_matches_the_runtime_to_a_few_units_in_the_last_place()
    {
        for (double x = -708; x <= 700; x += 0.37)
        {
            double expected = Math.Exp(x);
            Assert.True(Math.Abs(PortableMath.Exp(x) - expected) <= 4e-16 * expected, $"exp({x}) = {PortableMath.Exp(x):R}, expected {expected:R}");
        }
        Assert.Equal(1.0, PortableMath.Exp(0));
        Assert.Equal(0.0, PortableMath.Exp(-800));
    }

    [Fact]
    public void Log_matches_the_runtime_to_a_few_units_in_the_last_place()
    {
        for (double x = 1e-300; x < 1e300; x *= 1.7)
        {
            foreach (double v in new[] { x, x * 1.0001, 0.99 + (x % 0.02) })
            {
                double expected = Math.Log(v);
                Assert.True(Math.Abs(PortableMath.Log(v) - expected) <= 4e-16 * Math.Max(1, Math.Abs(expected)), $"log({v:R}) = {PortableMath.Log(v):R}, expected {expected:R}");
            }
        }
        Assert.Equal(0.0, PortableMath.Log(1));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Log_refuses_what_it_does_not_handle(double x) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PortableMath.Log(x));
}
