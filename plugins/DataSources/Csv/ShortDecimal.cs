namespace Conduit.DataSources.Csv;

/// <summary>
/// A fast path for the numbers a CSV mostly holds — an optional minus, up to 7 significant digits, an optional
/// decimal point — computed as one float division of two exactly representable floats (m / 10^k with m below 2^24
/// and k at most 10), which IEEE rounds correctly: the same float <see cref="float.Parse(string)"/> returns. Anything
/// else (exponents, more digits, spaces) is left to the general parser.
/// </summary>
internal static class ShortDecimal
{
    private const int MaxMantissa = 1 << 24;

    private static readonly float[] PowersOfTen = [1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f];

    /// <summary>Parses <paramref name="text"/> when it has the short form; false leaves it to the general parser.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out float value)
    {
        value = 0;
        int i = 0;
        bool negative = false;
        if (text.Length > 0 && text[0] == '-')
        {
            negative = true;
            i = 1;
        }
        int mantissa = 0;
        int digits = 0;
        int decimals = -1; // digits after the point; -1 before a point is seen
        for (; i < text.Length; i++)
        {
            int d = text[i] - '0';
            if ((uint)d <= 9)
            {
                mantissa = mantissa * 10 + d;
                digits++;
                if (decimals >= 0)
                {
                    decimals++;
                }
                if (mantissa >= MaxMantissa)
                {
                    return false;
                }
            }
            else if (text[i] == '.' && decimals < 0)
            {
                decimals = 0;
            }
            else
            {
                return false;
            }
        }
        if (digits == 0 || decimals >= PowersOfTen.Length)
        {
            return false;
        }
        float magnitude = decimals > 0 ? mantissa / PowersOfTen[decimals] : mantissa;
        value = negative ? -magnitude : magnitude;
        return true;
    }
}
