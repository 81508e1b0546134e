using System.Globalization;
using Conduit.Configuration;

namespace Conduit.DataSources.Common;

/// <summary>
/// How a data source treats bad rows and missing values, read from the keys every file source shares:
/// <c>on_error: stop|skip</c>, <c>missing: error|skip|fill</c> and <c>fill_value</c>. Nothing is coerced unless the job says so.
/// </summary>
/// <param name="SkipBadRows"><c>on_error: skip</c>: count and report bad rows instead of stopping at the first.</param>
/// <param name="Missing">What a missing value does.</param>
/// <param name="FillValue">The value put in place of a missing one under <see cref="MissingValuePolicy.Fill"/>.</param>
public sealed record DataErrorPolicy(bool SkipBadRows = false, MissingValuePolicy Missing = MissingValuePolicy.Error, float FillValue = 0)
{
    /// <summary>Reads the policy from a data section; problems are recorded in <paramref name="data"/>.</summary>
    public static DataErrorPolicy Read(SettingsReader data)
    {
        ArgumentNullException.ThrowIfNull(data);
        string onError = data.Choice("on_error", "stop", "stop", "skip");
        string missing = data.Choice("missing", "error", "error", "skip", "fill");
        double fill = data.Double("fill_value", 0, SettingRange.Between(float.MinValue, float.MaxValue), allowed: "a finite number, such as 0");
        if (data.Exists("fill_value") && missing != "fill")
        {
            data.Problem("fill_value", $"'{data.String("fill_value")}' is only used with missing: fill; expected missing: fill, or no fill_value");
        }
        return new DataErrorPolicy(
            onError == "skip",
            missing switch { "skip" => MissingValuePolicy.Skip, "fill" => MissingValuePolicy.Fill, _ => MissingValuePolicy.Error },
            (float)fill);
    }

    /// <summary>The policy as a job writes it: <c>on_error: stop, missing: fill, fill_value: 0</c>.</summary>
    public override string ToString() =>
        $"on_error: {(SkipBadRows ? "skip" : "stop")}, missing: {Missing.ToString().ToLowerInvariant()}"
        + (Missing == MissingValuePolicy.Fill ? $", fill_value: {FillValue.ToString(CultureInfo.InvariantCulture)}" : "");
}
