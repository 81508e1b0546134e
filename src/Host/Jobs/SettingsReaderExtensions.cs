using Conduit.Configuration;

namespace Conduit.Host.Jobs;

/// <summary>Settings only the host's trainer reads.</summary>
internal static class SettingsReaderExtensions
{
    /// <summary>A batch count or fraction (see <see cref="BatchLimit"/>).</summary>
    public static BatchLimit Limit(this SettingsReader reader, string key, BatchLimit fallback)
    {
        string? text = reader.String(key);
        if (text is null)
        {
            return fallback;
        }
        if (!BatchLimit.TryParse(text, out BatchLimit limit))
        {
            reader.Problem(key, $"'{text}' is not allowed; expected a whole number of batches (0 or more) or a fraction between 0.0 and 1.0");
            return fallback;
        }
        return limit;
    }
}
