namespace Conduit.Host.Server;

/// <summary>Whether a path from a request stays inside the folder it is allowed in (after resolving <c>..</c>).</summary>
internal static class FolderBoundary
{
    /// <summary><paramref name="path"/> resolved against <paramref name="root"/> (an absolute path stays as it is).</summary>
    public static string Resolve(string root, string path) => Path.GetFullPath(Path.Combine(root, path));

    /// <summary>Whether the full path <paramref name="fullPath"/> lies inside <paramref name="folder"/> (the folder itself does not count).</summary>
    public static bool Contains(string folder, string fullPath)
    {
        // The root keeps its separator when trimmed ("/"), any other folder gains one.
        string full = Path.GetFullPath(folder);
        string prefix = Path.EndsInDirectorySeparator(full) ? full : full + Path.DirectorySeparatorChar;
        return fullPath.Length > prefix.Length && fullPath.StartsWith(prefix, StringComparison.Ordinal);
    }
}
