using System.Globalization;
using Conduit.DataSources.Csv;
using CsCheck;

namespace Conduit.Data.Tests.Csv;

public sealed class ShortDecimalTests
{
    [Fact]
    public void Short_decimals_parse_to_exactly_the_float_the_general_parser_gives()
    {
        Gen.Select(Gen.Int[0, 16_777_215], Gen.Int[0, 10], Gen.Bool).Sample((mantissa, decimals, negative) =>
        {
            string digits = mantissa.ToString(CultureInfo.InvariantCulture).PadLeft(decimals + 1, '0');
            string text = (negative ? "-" : "") + (decimals == 0 ? digits : digits[..^decimals] + "." + digits[^decimals..]);

            Assert.True(ShortDecimal.TryParse(text, out float fast), text);
            Assert.Equal(BitConverter.SingleToInt32Bits(float.Parse(text, CultureInfo.InvariantCulture)), BitConverter.SingleToInt32Bits(fast));
        }, iter: 100_000);
    }

    [Fact]
    public void Written_floats_read_back_exactly_whichever_parser_takes_them()
    {
        Gen.Float.Where(float.IsFinite).Sample(value =>
        {
            foreach (string text in new[] { value.ToString("R", CultureInfo.InvariantCulture), value.ToString("F3", CultureInfo.InvariantCulture), value.ToString("G6", CultureInfo.InvariantCulture) })
            {
                float expected = float.Parse(text, CultureInfo.InvariantCulture);
                if (ShortDecimal.TryParse(text, out float fast))
                {
                    Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(fast));
                }
            }
        }, iter: 100_000);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("1e3")]
    [InlineData(" 1")]
    [InlineData("+1")]
    [InlineData("1.2.3")]
    [InlineData("16777216")]
    [InlineData("0.00000000001")]
    [InlineData("NaN")]
    public void Other_forms_are_left_to_the_general_parser(string text) => Assert.False(ShortDecimal.TryParse(text, out _));
}
