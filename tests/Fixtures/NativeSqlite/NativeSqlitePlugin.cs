using Conduit.Accelerators;
using Conduit.Fixtures;
using Conduit.Plugins;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Fixture.NativeSqlite;

/// <summary>Uses SQLite through its native library, which must resolve from this plugin's runtimes/&lt;rid&gt;/native.</summary>
public sealed class NativeSqlitePlugin : IConduitPlugin
{
    public void ConfigureServices(IServiceCollection services, PluginContext context) =>
        services.AddSingleton<IAccelerator>(new FactAccelerator(context.Id, () =>
        {
            using var connection = new SqliteConnection("Data Source=:memory:");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "select sqlite_version()";
            string version = (string)command.ExecuteScalar()!;
            // The path the dynamic loader mapped the native library from.
            string mapped = File.ReadLines("/proc/self/maps")
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(fields => fields.Length >= 6 && fields[5].Contains("e_sqlite3", StringComparison.Ordinal))
                .Select(fields => fields[5])
                .FirstOrDefault() ?? "";
            return new Dictionary<string, string> { ["sqliteVersion"] = version, ["nativePath"] = mapped };
        }));
}
