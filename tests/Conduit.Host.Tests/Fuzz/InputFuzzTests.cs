using System.Text;
using Conduit.Host.Checkpoints;
using Conduit.Host.Jobs;
using Conduit.Host.Plugins;
using Conduit.Host.Tests.Support;
using CsCheck;

namespace Conduit.Host.Tests.Fuzz;

/// <summary>
/// Hostile files where Conduit reads them: whatever the bytes, a reader either accepts them or refuses them with its
/// own exception, whose message is one line naming the file. Nothing else escapes (no NullReferenceException, no
/// IndexOutOfRange, no crash), and nothing hangs.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class InputFuzzTests : IDisposable
{
    private static readonly string[] Keys = [.. JobLoader.Sections, "data.path", "data.batch_size", "trainer.max_epochs", "model.hidden", "name", "split", "seed", "", "..", "\0"];
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Job_files_of_any_bytes_load_or_are_refused_in_one_line()
    {
        Gen<string> text = Gen.OneOf(Gen.String, Gen.Byte.Array[0, 512].Select(b => Encoding.UTF8.GetString(b)), JsonLike());
        Gen.Select(text, Gen.OneOf(Gen.Const(".json"), Gen.Const(".yaml"), Gen.Const(".yml"))).Sample((content, extension) =>
        {
            string path = Unique("job" + extension);
            File.WriteAllText(path, content);
            Refused<JobValidationException>(() => JobLoader.Load(path), path);
        }, iter: FuzzBudget.Iterations, time: FuzzBudget.Time);
    }

    [Fact]
    public void Plugin_manifests_of_any_bytes_are_read_or_refused_naming_the_file()
    {
        Gen.OneOf(Gen.String, JsonLike()).Sample(content =>
        {
            string path = Path.Combine(Directory.CreateDirectory(Unique("plugin")).FullName, "plugin.json");
            File.WriteAllText(path, content);
            Refused<PluginManifestException>(() => PluginManifestReader.Read(path), "plugin.json");
        }, iter: FuzzBudget.Iterations, time: FuzzBudget.Time);
    }

    [Fact]
    public void Damaged_checkpoints_are_refused_as_corrupt()
    {
        string good = _temp.Combine("good.ckpt");
        CheckpointFile.Write(good, Checkpoints.CheckpointFileTests.Metadata(7), state => state.Write([1, 2, 3, 4]));
        byte[] original = File.ReadAllBytes(good);
        // A real checkpoint with bytes flipped, cut or appended, and plain random bytes.
        Gen<byte[]> damaged = Gen.OneOf(
            Gen.Int[0, original.Length - 1].Select(Gen.Byte).Select((at, value) => { byte[] copy = [.. original]; copy[at] ^= (byte)(value | 1); return copy; }),
            Gen.Int[0, original.Length - 1].Select(length => original[..length]),
            Gen.Byte.Array[1, 64].Select(tail => (byte[])[.. original, .. tail]),
            Gen.Byte.Array[0, 2048]);
        damaged.Sample(bytes =>
        {
            string path = Unique("damaged.ckpt");
            File.WriteAllBytes(path, bytes);
            Refused<CheckpointCorruptException>(() => CheckpointFile.Read(path), path);
        }, iter: FuzzBudget.Iterations, time: FuzzBudget.Time);
    }

    // CsCheck runs samples on several threads at once: a file of its own for each.
    private string Unique(string name) => _temp.Combine($"{Guid.NewGuid():N}-{name}");

    // Objects of known keys with values of every JSON kind: deeper into the readers than random text gets.
    private static Gen<string> JsonLike()
    {
        Gen<string> scalar = Gen.OneOf(Gen.Const("null"), Gen.Const("true"), Gen.Int.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Gen.Double.Select(d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)), Gen.String.Select(s => System.Text.Json.JsonSerializer.Serialize(s)),
            Gen.Const("[]"), Gen.Const("{}"), Gen.Const("[1, \"a\", null]"), Gen.Const("1e400"), Gen.Const("-0"));
        Gen<string> member = Gen.Select(Gen.Int[0, Keys.Length - 1].Select(i => Keys[i]), scalar, (key, value) => $"{System.Text.Json.JsonSerializer.Serialize(key)}: {value}");
        return member.Array[0, 8].Select(members => "{" + string.Join(", ", members) + "}");
    }

    // Accepted, or refused with the reader's own exception in one line that names the file.
    private static void Refused<TException>(Action read, string file)
        where TException : Exception
    {
        try
        {
            read();
        }
        catch (TException e)
        {
            Assert.DoesNotContain('\n', e.Message.TrimEnd());
            Assert.Contains(Path.GetFileName(file), e.Message, StringComparison.Ordinal);
        }
    }
}
