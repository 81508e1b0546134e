namespace Conduit.Benchmarks;

/// <summary>A small struct message, the shape of a per-batch event.</summary>
public readonly record struct Tick(long Step, double Loss);
