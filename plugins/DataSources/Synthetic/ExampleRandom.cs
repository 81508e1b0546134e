using System.Runtime.CompilerServices;

namespace Conduit.DataSources.Synthetic;

/// <summary>
/// A counter-based random stream: example i's numbers come from a SplitMix64 sequence started at a hash of the seed
/// and i, so each example is generated alone, in any order, the same on every platform (integer arithmetic, and
/// floating point only through IEEE operations and <see cref="PortableMath"/>).
/// </summary>
internal struct ExampleRandom
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    private ulong _state;

    /// <summary>The stream of example <paramref name="index"/> under <paramref name="seed"/> (negative indices: the generator's own parameters).</summary>
    public ExampleRandom(int seed, long index)
    {
        // Mix is a bijection, so within a seed no two examples start from the same state.
        ulong key = Mix(unchecked((ulong)(long)seed + Golden));
        _state = Mix(key ^ unchecked((ulong)index * 0xD6E8FEB86659FD93UL));
    }

    /// <summary>64 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextBits() => Mix(_state += Golden);

    /// <summary>A number in (0, 1), never 0 or 1.</summary>
    public double NextUniform() => ((NextBits() >> 11) + 0.5) * (1.0 / (1UL << 53));

    /// <summary>A whole number in [0, <paramref name="count"/>): the high half of the draw times the count, nearly uniform for any count.</summary>
    public int NextBelow(int count) => (int)Math.BigMul(NextBits(), (ulong)count, out _);

    /// <summary>A standard normal number (from the low 32 bits of a draw; see <see cref="FillNormals"/> for many).</summary>
    public float NextNormal()
    {
        uint bits = (uint)NextBits();
        return NormalZiggurat.TryInside(bits, out float x) ? x : NormalZiggurat.Resolve(bits, ref this);
    }

    /// <summary>Fills <paramref name="destination"/> with standard normal numbers, two from each 64-bit draw.</summary>
    public void FillNormals(Span<float> destination)
    {
        // The state lives in a local inside the loop (a field reached through 'this' would go through memory on every
        // draw), and goes back to the field only for the rare draws the ziggurat must resolve with more numbers.
        ulong state = _state;
        int j = 0;
        for (; j + 1 < destination.Length; j += 2)
        {
            ulong bits = Mix(state += Golden);
            if (!NormalZiggurat.TryInside((uint)bits, out float first))
            {
                _state = state;
                first = NormalZiggurat.Resolve((uint)bits, ref this);
                state = _state;
            }
            if (!NormalZiggurat.TryInside((uint)(bits >> 32), out float second))
            {
                _state = state;
                second = NormalZiggurat.Resolve((uint)(bits >> 32), ref this);
                state = _state;
            }
            destination[j] = first;
            destination[j + 1] = second;
        }
        _state = state;
        if (j < destination.Length)
        {
            destination[j] = NextNormal();
        }
    }

    // SplitMix64's finaliser: every input bit moves about half the output bits.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
