// The plugin carries linux-x64 natives only, and the tests read /proc/self/maps: Linux-only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
