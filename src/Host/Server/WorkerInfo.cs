namespace Conduit.Host.Server;

/// <summary>A worker as <c>GET /api/workers</c> lists it.</summary>
/// <param name="Id">Its id: <c>host:pid</c>.</param>
/// <param name="Host">The machine it runs on.</param>
/// <param name="Pid">Its process id.</param>
/// <param name="Slots">How many jobs it runs at once.</param>
/// <param name="Jobs">The jobs it is running.</param>
/// <param name="LastHeartbeat">When it was last heard from.</param>
/// <param name="RssMb">Its resident memory at that moment, in MiB.</param>
public sealed record WorkerInfo(string Id, string Host, int Pid, int Slots, IReadOnlyList<string> Jobs, DateTimeOffset LastHeartbeat, long RssMb);
