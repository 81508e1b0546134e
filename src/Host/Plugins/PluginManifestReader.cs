using System.Text.Json;
using Conduit.Plugins;

namespace Conduit.Host.Plugins;

/// <summary>Reads and validates <c>plugin.json</c>.</summary>
public static class PluginManifestReader
{
    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>Reads the manifest at <paramref name="path"/>.</summary>
    /// <exception cref="PluginManifestException">The file is not valid JSON, or a key is missing or malformed.</exception>
    public static PluginManifest Read(string path)
    {
        string name = Path.GetFileName(Path.GetDirectoryName(path)) + "/" + Path.GetFileName(path);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path), Options);
        }
        catch (JsonException e)
        {
            throw new PluginManifestException($"{name}: not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {FirstSentence(e.Message)}", e);
        }
        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new PluginManifestException($"{name}: expected a JSON object, found {root.ValueKind}.");
            }
            string id = RequiredString(root, "id", name);
            if (!IsValidId(id))
            {
                throw new PluginManifestException($"{name}: 'id' is '{id}'; expected lower-case letters, digits, '.', '-' or '_', starting with a letter.");
            }
            return new PluginManifest(
                id,
                RequiredVersion(root, "version", name),
                RequiredString(root, "kind", name),
                RequiredString(root, "entryAssembly", name),
                RequiredVersion(root, "abstractions", name),
                OptionalString(root, "description", name) ?? "")
            {
                Requires = OptionalStringArray(root, "requires", name, "plugin ids"),
                HostAssemblies = OptionalStringArray(root, "hostAssemblies", name, "assembly names"),
                Terminal = OptionalBool(root, "terminal", name),
                Preload = FileNames(OptionalStringArray(root, "preload", name, "file names"), "preload", name),
            };
        }
    }

    /// <summary>Whether <paramref name="id"/> is a well-formed plugin id.</summary>
    public static bool IsValidId(string id) =>
        id.Length is > 0 and <= 100 && char.IsAsciiLetterLower(id[0]) &&
        id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-' or '_');

    private static string RequiredString(JsonElement root, string key, string file)
    {
        string? value = OptionalString(root, key, file);
        return string.IsNullOrWhiteSpace(value)
            ? throw new PluginManifestException($"{file}: required key '{key}' is missing or empty.")
            : value;
    }

    private static string? OptionalString(JsonElement root, string key, string file)
    {
        if (!root.TryGetProperty(key, out JsonElement element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return element.ValueKind == JsonValueKind.String
            ? element.GetString()
            : throw new PluginManifestException($"{file}: '{key}' must be a string, found {element.ValueKind} ({element.GetRawText()}).");
    }

    private static bool OptionalBool(JsonElement root, string key, string file) =>
        !root.TryGetProperty(key, out JsonElement element) ? false : element.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            _ => throw new PluginManifestException($"{file}: '{key}' must be true or false, found {element.ValueKind} ({element.GetRawText()})."),
        };

    private static Version RequiredVersion(JsonElement root, string key, string file)
    {
        string text = RequiredString(root, key, file);
        // SemVer pre-release and build suffixes do not take part in the comparison.
        string core = text.Split('-', '+')[0];
        return Version.TryParse(core, out Version? version) && version.Major >= 0
            ? version
            : throw new PluginManifestException($"{file}: '{key}' is '{text}'; expected a version such as 1.2.0.");
    }

    // Names the host joins to the plugin's folder: a path of any kind would lead out of it.
    private static string[] FileNames(string[] names, string key, string file) =>
        names.FirstOrDefault(n => n.Length == 0 || n is "." or ".." || n.IndexOfAny(['/', '\\', '\0', '\n', '\r']) >= 0) is { } bad
            ? throw new PluginManifestException($"{file}: '{key}' holds '{bad}'; expected the name of a file in the plugin's folder, without a path.")
            : names;

    private static string[] OptionalStringArray(JsonElement root, string key, string file, string what)
    {
        if (!root.TryGetProperty(key, out JsonElement element) || element.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (element.ValueKind != JsonValueKind.Array || element.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            throw new PluginManifestException($"{file}: '{key}' must be an array of {what}, found {element.GetRawText()}.");
        }
        return [.. element.EnumerateArray().Select(e => e.GetString()!)];
    }

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
