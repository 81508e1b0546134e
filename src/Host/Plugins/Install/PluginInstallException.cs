namespace Conduit.Host.Plugins.Install;

/// <summary>An install, update or removal that cannot be done; the plugin folder is as it was.</summary>
public sealed class PluginInstallException(string message, Exception? inner = null) : Exception(message, inner);
