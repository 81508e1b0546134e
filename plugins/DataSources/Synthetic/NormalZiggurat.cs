using System.Runtime.CompilerServices;

namespace Conduit.DataSources.Synthetic;

/// <summary>
/// Marsaglia and Tsang's ziggurat for standard normal numbers: 256 layers of equal area under e^(-x²/2), of which a
/// random one is picked; 98.5% of draws land inside the curve and cost one multiplication and one comparison.
/// </summary>
/// <remarks>
/// The layers' edges are computed with <see cref="PortableMath"/>, and so are the rare draws that land in a layer's
/// wedge or in the tail beyond <see cref="TailStart"/>, so every platform draws the same numbers. A draw takes 32
/// random bits: 8 pick the layer, 1 the sign and 23 the place within the layer (the original shared bits between
/// the layer and the place). The fast path works in float, the precision of the examples.
/// </remarks>
internal static class NormalZiggurat
{
    /// <summary>The number of layers.</summary>
    public const int Layers = 256;

    /// <summary>Where the tail begins (the base layer's right edge), for 256 layers.</summary>
    public const double TailStart = 3.6541528853610088;

    /// <summary>The area of each layer, for 256 layers and <see cref="TailStart"/>.</summary>
    public const double LayerArea = 4.92867323399e-3;

    private const float PlaceScale = 1f / (1 << 23);

    /// <summary>
    /// Each layer's right edge: <c>Edge[0]</c> is the base layer's width (area / f(r)), <c>Edge[1]</c> the tail's
    /// start, decreasing to <c>Edge[256] = 0</c> above the top layer. A draw in layer i left of <c>Edge[i + 1]</c> is
    /// under the curve.
    /// </summary>
    internal static readonly double[] Edge = ComputeEdges();

    /// <summary>e^(-x²/2) at each edge.</summary>
    private static readonly double[] Height = [.. Edge.Select(Density)];

    /// <summary><see cref="Edge"/> in float, for the fast path's comparison.</summary>
    private static readonly float[] EdgeSingle = [.. Edge.Select(e => (float)e)];

    /// <summary>A layer's edge over 2^23: multiplied by the 23-bit place it gives the draw's x.</summary>
    private static readonly float[] Width = [.. Edge.Take(Layers).Select(e => (float)e * PlaceScale)];

    /// <summary>
    /// The normal number 32 random bits give when they land inside the curve (about 98.5% of the time); otherwise
    /// <see langword="false"/>, and <see cref="Resolve"/> finishes the draw.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryInside(uint bits, out float value)
    {
        int layer = (int)(bits & (Layers - 1));
        float x = (bits >> 9) * Width[layer];
        value = WithSign(x, bits);
        return x < EdgeSingle[layer + 1];
    }

    /// <summary>
    /// Finishes a draw <see cref="TryInside"/> could not: in the tail or a layer's wedge, drawing more numbers from
    /// <paramref name="random"/> as needed.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static float Resolve(uint bits, ref ExampleRandom random)
    {
        while (true)
        {
            int layer = (int)(bits & (Layers - 1));
            float x = (bits >> 9) * Width[layer];
            if (x >= EdgeSingle[layer + 1])
            {
                if (layer == 0)
                {
                    x = (float)Tail(ref random);
                }
                else if (Height[layer] + (random.NextUniform() * (Height[layer + 1] - Height[layer])) >= Density(x))
                {
                    bits = (uint)random.NextBits(); // above the curve: draw again
                    continue;
                }
            }
            return WithSign(x, bits);
        }
    }

    // x, negated when bit 8 of the draw is set: the sign bit flipped directly, since a branch on a random bit is
    // mispredicted half the time and would cost more than the rest of the draw.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float WithSign(float x, uint bits) =>
        BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(x) ^ (int)((bits & 0x100) << 23));

    // Marsaglia's tail method: x = r + a with a exponential of rate r, kept with probability e^(-a²/2).
    private static double Tail(ref ExampleRandom random)
    {
        double a;
        double b;
        do
        {
            a = -PortableMath.Log(random.NextUniform()) / TailStart;
            b = -PortableMath.Log(random.NextUniform());
        }
        while (b + b < a * a);
        return TailStart + a;
    }

    private static double Density(double x) => PortableMath.Exp(-0.5 * x * x);

    private static double[] ComputeEdges()
    {
        var edge = new double[Layers + 1];
        edge[0] = LayerArea / Density(TailStart);
        edge[1] = TailStart;
        for (int i = 1; i < Layers - 1; i++)
        {
            // The next edge up is where the curve is as high as this layer's top: f(x[i]) + area / x[i].
            edge[i + 1] = Math.Sqrt(-2 * PortableMath.Log(Density(edge[i]) + (LayerArea / edge[i])));
        }
        edge[Layers] = 0;
        return edge;
    }
}
