namespace Conduit.Host.Plugins;

/// <summary>A <c>plugin.json</c> that cannot be read; the message names the file, the key and what was expected.</summary>
public sealed class PluginManifestException(string message, Exception? innerException = null) : Exception(message, innerException);
