namespace Conduit.DataSources.Synthetic;

/// <summary>
/// A counter-based random stream: example i's numbers come from a SplitMix64 sequence started at a hash of the
/// seed and i, so each example is generated alone, in any order, the same on every platform.
/// </summary>
internal struct ExampleRandom
{
    private ulong _state;
    private double _spare;
    private bool _hasSpare;

    public ExampleRandom(int seed, long index)
    {
        _state = ((ulong)(uint)seed * 0x9E3779B97F4A7C15UL) ^ ((ulong)index * 0xD6E8FEB86659FD93UL) ^ 0xA0761D6478BD642FUL;
        _spare = 0;
        _hasSpare = false;
        NextBits(); // scramble nearby starting states apart
    }

    public ulong NextBits()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A number in (0, 1).</summary>
    public double NextUniform() => ((NextBits() >> 11) + 0.5) * (1.0 / (1UL << 53));

    /// <summary>A standard normal number (Marsaglia's polar method; the second of each pair is kept for the next call).</summary>
    public double NextNormal()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }
        double u, v, s;
        do
        {
            u = (2 * NextUniform()) - 1;
            v = (2 * NextUniform()) - 1;
            s = (u * u) + (v * v);
        }
        while (s >= 1);
        double scale = Math.Sqrt(-2 * Math.Log(s) / s);
        _spare = v * scale;
        _hasSpare = true;
        return u * scale;
    }
}
