using System.Text.Json.Nodes;
using Conduit.Host.Sweeps.Search;

namespace Conduit.Host.Tests.Sweeps;

public sealed class GridSearchTests
{
    private static readonly ParameterSpace[] Spaces =
    [
        new ChoiceSpace("a", [JsonValue.Create(1), JsonValue.Create(2)]),
        new ChoiceSpace("b", [JsonValue.Create("x"), JsonValue.Create("y"), JsonValue.Create("z")]),
    ];

    private static Observation Running(string key) => new(ParameterSet.Parse(key), null);

    [Fact]
    public void Walks_the_grid_in_odometer_order_then_runs_out()
    {
        var grid = new GridSearch(Spaces);
        var history = new List<Observation>();
        for (int trial = 0; trial < 6; trial++)
        {
            var set = grid.Suggest(trial, history);
            Assert.NotNull(set);
            history.Add(new Observation(set, trial));
        }
        Assert.Equal(
            [
                """{"a":1,"b":"x"}""", """{"a":1,"b":"y"}""", """{"a":1,"b":"z"}""",
                """{"a":2,"b":"x"}""", """{"a":2,"b":"y"}""", """{"a":2,"b":"z"}""",
            ],
            history.Select(o => o.Parameters.Key));
        Assert.Null(grid.Suggest(6, history));
    }

    [Fact]
    public void Takes_the_first_point_not_in_the_history()
    {
        var grid = new GridSearch(Spaces);
        // A restarted controller: the trial number plays no part, the history does.
        Assert.Equal("""{"a":1,"b":"y"}""", grid.Suggest(2, [Running("""{"a":1,"b":"x"}"""), Running("""{"a":1,"b":"z"}""")])?.Key);
        Assert.Equal(
            """{"a":2,"b":"x"}""",
            grid.Suggest(0, [Running("""{"a":1,"b":"z"}"""), Running("""{"a":1,"b":"x"}"""), Running("""{"a":1,"b":"y"}""")])?.Key);
    }

    [Fact]
    public void Rejects_a_range()
    {
        var spaces = new ParameterSpace[] { Spaces[0], new UniformSpace("c", 0, 1) };
        Assert.Throws<ArgumentException>(() => new GridSearch(spaces));
    }
}
