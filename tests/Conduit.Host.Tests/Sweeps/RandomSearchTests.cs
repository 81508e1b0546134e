using System.Text.Json.Nodes;
using Conduit.Host.Sweeps.Search;

namespace Conduit.Host.Tests.Sweeps;

public sealed class RandomSearchTests
{
    private static readonly ParameterSpace[] Spaces =
    [
        new LogUniformSpace("lr", 1e-5, 1e-1),
        new UniformSpace("dropout", 0.1, 0.5),
        new IntUniformSpace("layers", 1, 3),
        new ChoiceSpace("act", [JsonValue.Create("relu"), JsonValue.Create("tanh")]),
    ];

    [Fact]
    public void The_same_seed_and_trial_give_the_same_set()
    {
        for (int trial = 0; trial < 10; trial++)
        {
            // Separate instances: a restarted controller builds a new one.
            Assert.Equal(new RandomSearch(Spaces, 7).Suggest(trial, [])!.Key, new RandomSearch(Spaces, 7).Suggest(trial, [])!.Key);
        }
    }

    [Fact]
    public void Different_trials_and_seeds_differ()
    {
        var search = new RandomSearch(Spaces, 7);
        var keys = Enumerable.Range(0, 50).Select(t => search.Suggest(t, [])!.Key).ToList();
        Assert.Equal(50, keys.Distinct().Count());
        Assert.NotEqual(keys[0], new RandomSearch(Spaces, 8).Suggest(0, [])!.Key);
    }

    [Fact]
    public void Values_stay_in_their_spaces_and_follow_their_distributions()
    {
        var search = new RandomSearch(Spaces, 3);
        var sets = Enumerable.Range(0, 2000).Select(t => search.Suggest(t, [])!).ToList();
        var lrs = sets.Select(s => s["lr"].GetValue<double>()).ToList();
        var dropouts = sets.Select(s => s["dropout"].GetValue<double>()).ToList();
        var layers = sets.Select(s => s["layers"].GetValue<long>()).ToList();
        Assert.All(lrs, lr => Assert.InRange(lr, 1e-5, 1e-1));
        Assert.All(dropouts, d => Assert.InRange(d, 0.1, 0.5));
        Assert.All(layers, n => Assert.InRange(n, 1, 3));
        Assert.Equal([1L, 2L, 3L], layers.Distinct().Order());
        Assert.Equal(["relu", "tanh"], sets.Select(s => s["act"].GetValue<string>()).Distinct().Order());
        // Log-uniform: half the draws below the middle decade (1e-3); a uniform draw would put about 1% there.
        Assert.InRange(lrs.Count(lr => lr < 1e-3) / 2000.0, 0.45, 0.55);
        Assert.InRange(dropouts.Count(d => d < 0.3) / 2000.0, 0.45, 0.55);
    }

    [Fact]
    public void Never_suggests_a_set_in_the_history()
    {
        var spaces = new ParameterSpace[] { new ChoiceSpace("act", [JsonValue.Create("relu"), JsonValue.Create("tanh")]) };
        var search = new RandomSearch(spaces, 1);
        var relu = new Observation(ParameterSet.Parse("""{"act":"relu"}"""), 0.5);
        var tanh = new Observation(ParameterSet.Parse("""{"act":"tanh"}"""), null);
        for (int trial = 0; trial < 20; trial++)
        {
            Assert.Equal("""{"act":"tanh"}""", search.Suggest(trial, [relu])?.Key);
            Assert.Equal("""{"act":"relu"}""", search.Suggest(trial, [tanh])?.Key);
            Assert.Null(search.Suggest(trial, [relu, tanh]));
        }
    }
}
