// ELF shared objects, readelf and the linux-x64 TorchSharp natives: these tests are Linux-only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
