// The plugin carries linux-x64 natives only, and the tests read /proc/self/maps: Linux-only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// libtorch's random generator, thread count and determinism flag are process-wide: tests that seed and compare
// bit for bit must not interleave.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
