namespace Conduit.DataSources.Synthetic;

/// <summary>
/// <c>exp</c> and <c>log</c> from IEEE additions, multiplications and divisions alone, so their results are the same
/// bits on every platform; <see cref="Math.Exp"/> and <see cref="Math.Log(double)"/> call the C runtime, whose last bit
/// differs between Linux, Windows and macOS, and that would make "the same seed, the same data" untrue.
/// </summary>
/// <remarks>Accurate to a few units in the last place of a double, far finer than the floats generated from them.</remarks>
internal static class PortableMath
{
    // ln 2 split so that k * Ln2High is exact for the |k| <= 1100 that occur.
    private const double Ln2High = 6.93147180369123816490e-01;
    private const double Ln2Low = 1.90821492927058770002e-10;
    private const double Ln2 = 0.69314718055994530942;
    private const double Sqrt2 = 1.41421356237309504880;
    private const double SmallestNormal = 2.2250738585072014e-308;

    // 1/n! for n = 0..13, each by one IEEE division from the last, the same everywhere.
    private static readonly double[] InverseFactorials = ComputeInverseFactorials(13);

    /// <summary>e raised to <paramref name="x"/>, for x at most 700 (0 below about -708, where the result would be subnormal).</summary>
    public static double Exp(double x)
    {
        if (x < -708)
        {
            return 0;
        }
        if (x > 700)
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "exp overflows above 700.");
        }
        // x = k ln2 + r with |r| <= ln2 / 2; e^x = 2^k e^r.
        double k = Math.Floor((x / Ln2) + 0.5);
        double r = (x - (k * Ln2High)) - (k * Ln2Low);
        // Taylor series of e^r by Horner's rule; the terms past r^13/13! add under 1e-17 for |r| <= 0.35.
        double sum = 0;
        for (int n = InverseFactorials.Length - 1; n >= 0; n--)
        {
            sum = (sum * r) + InverseFactorials[n];
        }
        return sum * BitConverter.Int64BitsToDouble((long)((int)k + 1023) << 52);
    }

    /// <summary>The natural logarithm of a positive, normal (not subnormal) <paramref name="x"/>.</summary>
    public static double Log(double x)
    {
        if (!(x >= SmallestNormal) || double.IsPositiveInfinity(x))
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "log is defined here for positive normal numbers.");
        }
        // x = 2^e m with m in [sqrt(1/2), sqrt(2)); ln x = e ln2 + ln m.
        long bits = BitConverter.DoubleToInt64Bits(x);
        int e = (int)((bits >> 52) & 0x7FF) - 1023;
        double m = BitConverter.Int64BitsToDouble((bits & 0x000F_FFFF_FFFF_FFFFL) | 0x3FF0_0000_0000_0000L);
        if (m >= Sqrt2)
        {
            m /= 2;
            e++;
        }
        // ln m = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...) with s = (m - 1) / (m + 1), |s| < 0.172.
        double s = (m - 1) / (m + 1);
        double s2 = s * s;
        double series = 0;
        for (int n = 21; n >= 3; n -= 2)
        {
            series = (series + (1.0 / n)) * s2;
        }
        double lnM = 2 * s * (1 + series);
        return (e * Ln2High) + ((e * Ln2Low) + lnM);
    }

    private static double[] ComputeInverseFactorials(int last)
    {
        var result = new double[last + 1];
        result[0] = 1;
        for (int n = 1; n <= last; n++)
        {
            result[n] = result[n - 1] / n;
        }
        return result;
    }
}
