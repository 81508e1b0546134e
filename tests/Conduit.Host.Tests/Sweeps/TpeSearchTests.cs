using System.Text.Json.Nodes;
using Conduit.Host.Sweeps.Search;

namespace Conduit.Host.Tests.Sweeps;

public sealed class TpeSearchTests
{
    private static readonly ParameterSpace[] Spaces =
    [
        new LogUniformSpace("lr", 1e-5, 1e-1),
        new UniformSpace("x", 0, 1),
        new ChoiceSpace("act", [JsonValue.Create("relu"), JsonValue.Create("tanh"), JsonValue.Create("sigmoid")]),
    ];

    /// <summary>Best at lr = 1e-3, x = 0.3, act = relu (loss 0); each part matters.</summary>
    private static double Objective(ParameterSet set)
    {
        double lr = Math.Log10(set["lr"].GetValue<double>()) + 3;
        double x = set["x"].GetValue<double>() - 0.3;
        return (lr * lr) + (x * x) + (set["act"].GetValue<string>() == "relu" ? 0 : 0.5);
    }

    /// <summary>The best loss after <paramref name="trials"/> trials run one after another, each loss fed back.</summary>
    private static double BestAfter(ISearchMethod search, int trials)
    {
        var history = new List<Observation>();
        for (int trial = 0; trial < trials; trial++)
        {
            var set = search.Suggest(trial, history)!;
            history.Add(new Observation(set, Objective(set)));
        }
        return history.Min(o => o.Loss!.Value);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return (sorted[(sorted.Length - 1) / 2] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Ended trials with random parameters and their losses, as a sweep's first trials would be.</summary>
    private static List<Observation> Ended(int count, int seed)
    {
        var random = new RandomSearch(Spaces, seed);
        return [.. Enumerable.Range(0, count).Select(t => random.Suggest(t, [])!).Select(s => new Observation(s, Objective(s)))];
    }

    [Fact]
    public void Is_deterministic_given_the_seed_and_the_history()
    {
        var history = Ended(12, 5);
        history.Add(new Observation(new RandomSearch(Spaces, 6).Suggest(0, [])!, null));
        for (int trial = 13; trial < 18; trial++)
        {
            // Separate instances, as after a restart.
            Assert.Equal(new TpeSearch(Spaces, 3).Suggest(trial, history)!.Key, new TpeSearch(Spaces, 3).Suggest(trial, history)!.Key);
        }
        Assert.NotEqual(new TpeSearch(Spaces, 3).Suggest(13, history)!.Key, new TpeSearch(Spaces, 4).Suggest(13, history)!.Key);
    }

    [Fact]
    public void Never_suggests_a_set_in_the_history_and_runs_out_when_all_are()
    {
        // Twelve points only: the models soon propose taken ones, and must fall back, then give up.
        var spaces = new ParameterSpace[]
        {
            new ChoiceSpace("act", [JsonValue.Create("relu"), JsonValue.Create("tanh"), JsonValue.Create("sigmoid")]),
            new IntUniformSpace("layers", 0, 3),
        };
        var search = new TpeSearch(spaces, 11, startupTrials: 3);
        var history = new List<Observation>();
        for (int trial = 0; trial < 12; trial++)
        {
            var set = search.Suggest(trial, history);
            Assert.NotNull(set);
            Assert.DoesNotContain(history, o => o.Parameters.Key == set.Key);
            Assert.InRange(set["layers"].GetValue<long>(), 0, 3);
            history.Add(new Observation(set, set["layers"].GetValue<long>() + (set["act"].GetValue<string>() == "relu" ? 0 : 1)));
        }
        Assert.Null(search.Suggest(12, history));
    }

    [Fact]
    public void Concurrent_trials_get_different_sets()
    {
        var search = new TpeSearch(Spaces, 2);
        var history = Ended(10, 9);
        // Four workers ask in turn, each before any of the others has ended.
        for (int trial = 10; trial < 14; trial++)
        {
            var set = search.Suggest(trial, history)!;
            Assert.DoesNotContain(history, o => o.Parameters.Key == set.Key);
            history.Add(new Observation(set, null));
        }
        Assert.Equal(14, history.Select(o => o.Parameters.Key).Distinct().Count());
    }

    [Fact]
    public void Running_trials_count_as_bad_and_steer_suggestions_away_from_their_region()
    {
        var spaces = new ParameterSpace[] { new UniformSpace("x", 0, 1) };
        static Observation At(double x, double? loss) => new(new ParameterSet([KeyValuePair.Create("x", (JsonNode)JsonValue.Create(x))]), loss);
        // Two equally good regions, A around 0.2 and B its mirror image around 0.8, ranks alternating, and eight bad
        // trials between: alone, the suggestions split between the two.
        var history = new List<Observation>();
        for (int i = 0; i < 4; i++)
        {
            history.Add(At(0.17 + (0.02 * i), 0.10 + (0.02 * i)));
            history.Add(At(0.83 - (0.02 * i), 0.11 + (0.02 * i)));
        }
        history.AddRange(Enumerable.Range(0, 8).Select(i => At(0.4 + (0.2 * i / 7), 1.0 + (i % 2))));
        int InB(List<Observation> h) => Enumerable.Range(0, 40).Count(s => new TpeSearch(spaces, s).Suggest(h.Count, h)!["x"].GetValue<double>() > 0.5);
        int alone = InB(history);
        // Six workers are now trying region A: as the worst seen, they make A look bad, and suggestions go to B.
        history.AddRange(Enumerable.Range(0, 6).Select(i => At(0.185 + (0.01 * i), null)));
        int withRunning = InB(history);
        Assert.InRange(alone, 8, 32);
        Assert.True(withRunning >= 34, $"Only {withRunning} of 40 suggestions left the region the running trials are in.");
    }

    [Fact]
    public void Beats_random_search_on_a_synthetic_objective()
    {
        // Nine seeds, 40 trials each: TPE's median best loss is about 0.001, random search's about 0.05.
        var seeds = Enumerable.Range(1, 9).ToList();
        double tpe = Median(seeds.Select(s => BestAfter(new TpeSearch(Spaces, s), 40)));
        double random = Median(seeds.Select(s => BestAfter(new RandomSearch(Spaces, s), 40)));
        Assert.True(tpe < random, $"TPE's median best loss {tpe} is not below random search's {random}.");
    }
}
