using System.Globalization;
using Conduit.Tracking.Store;

namespace Conduit.Benchmarks.Reliability;

/// <summary>What each logger recorded for one run: every (step, metric) value, in the order the logger holds them.</summary>
internal sealed record LoggerRecords(IReadOnlyDictionary<string, List<(long Step, string Name, double Value)>> ByLogger)
{
    /// <summary>Reads the csv and tensorboard files of <paramref name="versionFolder"/> and run <paramref name="runId"/> in the store.</summary>
    public static LoggerRecords Read(string versionFolder, string store, string runId) => new(new Dictionary<string, List<(long, string, double)>>
    {
        ["csv"] = Csv(Path.Combine(versionFolder, "metrics.csv")),
        ["sqlite"] = Sqlite(store, runId),
        ["tensorboard"] = TensorBoardRecord.Read(versionFolder),
    });

    /// <summary>Against an uninterrupted run's: (step, metric) values missing, recorded more than once, or with another value.</summary>
    public RecordDiff Against(LoggerRecords reference)
    {
        int lost = 0, duplicated = 0, differing = 0;
        var problems = new List<string>();
        foreach (var (logger, expected) in reference.ByLogger)
        {
            var want = expected.GroupBy(r => (r.Step, r.Name)).ToDictionary(g => g.Key, g => g.First().Value);
            var have = ByLogger[logger].GroupBy(r => (r.Step, r.Name)).ToDictionary(g => g.Key, g => g.Select(r => r.Value).ToList());
            foreach (var (key, value) in want)
            {
                if (!have.TryGetValue(key, out List<double>? values))
                {
                    Note(ref lost, $"{logger}: step {key.Step} {key.Name} missing");
                }
                else if (values.Any(v => !v.Equals(value)))
                {
                    Note(ref differing, $"{logger}: step {key.Step} {key.Name} = {string.Join("/", values)}, uninterrupted {value}");
                }
            }
            foreach (var (key, values) in have)
            {
                if (values.Count > 1)
                {
                    Note(ref duplicated, $"{logger}: step {key.Step} {key.Name} recorded {values.Count} times", values.Count - 1);
                }
                if (!want.ContainsKey(key))
                {
                    Note(ref differing, $"{logger}: step {key.Step} {key.Name} not in the uninterrupted run");
                }
            }
        }
        return new RecordDiff(lost, duplicated, differing, problems);

        void Note(ref int count, string problem, int by = 1)
        {
            count += by;
            problems.Add(problem);
        }
    }

    /// <summary>A reference's own defects: a (step, metric) recorded twice, or a train_loss step missing.</summary>
    public IEnumerable<string> SelfCheck()
    {
        foreach (var (logger, records) in ByLogger)
        {
            foreach (var twice in records.GroupBy(r => (r.Step, r.Name)).Where(g => g.Count() > 1))
            {
                yield return $"{logger}: step {twice.Key.Step} {twice.Key.Name} recorded {twice.Count()} times";
            }
            long[] steps = [.. records.Where(r => r.Name == "train_loss").Select(r => r.Step).Distinct().Order()];
            if (steps.Length == 0 || steps[^1] - steps[0] + 1 != steps.Length)
            {
                yield return $"{logger}: train_loss steps are not one unbroken range ({steps.Length} steps)";
            }
        }
    }

    private static List<(long, string, double)> Csv(string path)
    {
        string[] lines = File.ReadAllLines(path);
        string[] header = lines[0].Split(',');
        var records = new List<(long, string, double)>();
        foreach (string[] fields in lines.Skip(1).Select(l => l.Split(',')))
        {
            for (int c = 2; c < fields.Length; c++)
            {
                if (fields[c].Length > 0)
                {
                    records.Add((long.Parse(fields[0], CultureInfo.InvariantCulture), header[c], double.Parse(fields[c], CultureInfo.InvariantCulture)));
                }
            }
        }
        return records;
    }

    private static List<(long, string, double)> Sqlite(string path, string runId)
    {
        using RunStore store = RunStore.OpenExisting(path);
        return [.. store.MetricNames(runId).SelectMany(name => store.Metric(runId, name).Select(p => (p.Step, name, p.Value)))];
    }
}

/// <summary>How a run's records differ from the uninterrupted run's, with the first problems named.</summary>
internal sealed record RecordDiff(int Lost, int Duplicated, int Differing, IReadOnlyList<string> Problems)
{
    public bool Clean => Lost == 0 && Duplicated == 0 && Differing == 0;

    public override string ToString() => Clean ? "records equal" : $"lost {Lost}, duplicated {Duplicated}, differing {Differing} ({string.Join("; ", Problems.Take(3))})";
}
