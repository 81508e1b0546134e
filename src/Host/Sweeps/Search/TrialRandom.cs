namespace Conduit.Host.Sweeps.Search;

/// <summary>
/// The random generator of one trial, seeded by the sweep's seed and the trial's number only, so that a restarted
/// controller draws the same trials again (HashCode.Combine is randomized per process, hence a fixed mix).
/// </summary>
internal static class TrialRandom
{
    /// <summary>A generator for trial <paramref name="trial"/> of the sweep seeded with <paramref name="seed"/>.</summary>
    public static Random For(int seed, int trial)
    {
        // SplitMix64's finalizer: neighbouring (seed, trial) pairs give unrelated seeds.
        unchecked
        {
            ulong z = ((ulong)(uint)seed << 32) | (uint)trial;
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            // Random(int) is the seeded legacy algorithm: the same sequence on every run and platform.
            return new Random((int)z);
        }
    }
}
