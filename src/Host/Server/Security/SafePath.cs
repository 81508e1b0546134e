namespace Conduit.Host.Server.Security;

/// <summary>Resolves a path a request names against a root folder, refusing anything that would leave it.</summary>
internal static class SafePath
{
    /// <summary>The full path of <paramref name="relative"/> under <paramref name="root"/>, or null when it escapes the root.</summary>
    public static string? Resolve(string root, string relative)
    {
        if (string.IsNullOrWhiteSpace(relative) || relative.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }
        string fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        string full = Path.GetFullPath(Path.Combine(fullRoot, relative));
        // Prefix with the separator, so that /store-other is not taken for a child of /store.
        return full.StartsWith(fullRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? full : null;
    }
}
