using System.Globalization;

namespace Conduit.Host.Tests.Fuzz;

/// <summary>
/// How long each fuzz target runs (every test project links this file): a short pass with every test run (a few hundred inputs), and as long as
/// <c>CONDUIT_FUZZ_SECONDS</c> says for a campaign:
/// <c>CONDUIT_FUZZ_SECONDS=300 dotnet test Host.sln --filter Category=Fuzz</c>.
/// A failure prints CsCheck's seed, which replays it.
/// </summary>
internal static class FuzzBudget
{
    public static int Iterations => Seconds is null ? 300 : int.MaxValue;

    public static int Time => Seconds ?? -1;

    private static int? Seconds =>
        int.TryParse(Environment.GetEnvironmentVariable("CONDUIT_FUZZ_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) && seconds > 0 ? seconds : null;
}
