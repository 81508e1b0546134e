namespace Conduit.Host.Data;

/// <summary>SplitMix64: a tiny generator whose sequence is the same on every platform and .NET version.</summary>
internal struct SeededRandom(ulong state)
{
    private ulong _state = state;

    /// <summary>The generator of <paramref name="seed"/>'s epoch <paramref name="epoch"/>.</summary>
    public static SeededRandom ForEpoch(int seed, int epoch) => new(((ulong)(uint)seed << 32) ^ (uint)epoch ^ 0x9E3779B97F4A7C15UL);

    /// <summary>The next 64 random bits.</summary>
    public ulong NextBits()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A number in [0, <paramref name="bound"/>).</summary>
    public int Next(int bound) => (int)(NextBits() % (ulong)bound);
}
