namespace Conduit.Host.Jobs;

/// <summary>
/// A name that becomes one folder or file name (a job's name, a logger's name or version): a single path segment,
/// so whatever a job says, what it writes stays inside the folder it writes in.
/// </summary>
public static class PathSegment
{
    /// <summary>Why <paramref name="value"/> cannot be one path segment, or null when it can.</summary>
    public static string? Problem(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            return "is empty; expected a name";
        }
        if (value is "." or "..")
        {
            return $"'{value}' is not a name; expected letters, digits, '-', '_' or '.'";
        }
        foreach (char c in value)
        {
            if (c is '/' or '\\')
            {
                return $"'{Printable(value)}' contains a path separator; expected a name, not a path";
            }
            if (char.IsControl(c))
            {
                return $"'{Printable(value)}' contains a control character (U+{(int)c:X4}); expected a name";
            }
        }
        if (value.Length > 128)
        {
            return $"is {value.Length} characters long; expected at most 128";
        }
        return null;
    }

    // Control characters and NUL shown as escapes, so the message stays one readable line.
    private static string Printable(string value) =>
        string.Concat(value.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
