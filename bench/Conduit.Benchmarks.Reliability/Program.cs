using System.Globalization;
using Conduit.Benchmarks;
using Conduit.Benchmarks.Reliability;

// dotnet run -c Release --project bench/Conduit.Benchmarks.Reliability -- kills [--count 20] [--seed S]
// dotnet run -c Release --project bench/Conduit.Benchmarks.Reliability -- soak [--jobs 200]
string campaign = args.FirstOrDefault() ?? "";
if (campaign is not ("kills" or "soak"))
{
    Console.Error.WriteLine("usage: -- kills [--count 20] [--seed S] | soak [--jobs 200]");
    return 2;
}
if (!await HostBuild.EnsureReleaseAsync())
{
    return 1;
}

string work = Directory.CreateTempSubdirectory("conduit-reliability").FullName;
try
{
    return campaign == "kills"
        ? await new KillCampaign(work, Argument("--count", 20), Argument("--seed", 20261202)).RunAsync()
        : await new SoakCampaign(work, Argument("--jobs", 200)).RunAsync();
}
finally
{
    if (Environment.GetEnvironmentVariable("CONDUIT_KEEP") is null)
    {
        Directory.Delete(work, recursive: true);
    }
    else
    {
        Console.Error.WriteLine("kept " + work);
    }
}

int Argument(string name, int fallback) =>
    Array.IndexOf(args, name) is int i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
