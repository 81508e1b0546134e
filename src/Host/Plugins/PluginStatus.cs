namespace Conduit.Host.Plugins;

/// <summary>What became of a plugin folder (Jellyfin's idea: a status and its reason, kept and shown).</summary>
public enum PluginStatus
{
    /// <summary>Loaded; its services are registered.</summary>
    Loaded,

    /// <summary>Not loadable by this host: bad or missing manifest, unknown kind, contract too new, wrong kind.</summary>
    Incompatible,

    /// <summary>Threw, or was broken, while loading or registering; isolated, the host goes on.</summary>
    Malfunctioned,

    /// <summary>Switched off by a user, or superseded by a newer version of the same id.</summary>
    Disabled,

    /// <summary>Refused under a plugin lock: its files differ from <c>plugins.lock</c>, or the lock does not list it.</summary>
    Refused,
}
