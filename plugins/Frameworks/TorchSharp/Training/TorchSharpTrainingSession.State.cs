using System.Text;

namespace Conduit.Frameworks.TorchSharp.Training;

// Saving and restoring the session's state (weights, optimizer, schedule, generators) for checkpoints.
internal sealed partial class TorchSharpTrainingSession
{
    /// <inheritdoc/>
    public void SaveState(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            _model.save(writer);
            _optimizer.save_state_dict(writer);
            _schedule.Save(writer);
            byte[] random = _generator.State;
            writer.Write(random.Length);
            writer.Write(random);
        }
        using var framing = new BinaryWriter(destination, Encoding.UTF8, leaveOpen: true);
        SessionStateFormat.Write(framing, Header, payload.GetBuffer().AsSpan(0, (int)payload.Length));
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The whole state is read and its framing and header checked before anything is loaded, so a foreign, cut or
    /// mismatched stream leaves the session as it was.
    /// </remarks>
    public void LoadState(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        ObjectDisposedException.ThrowIf(_disposed, this);
        SessionStateHeader saved;
        byte[] payload;
        using (var framing = new BinaryReader(source, Encoding.UTF8, leaveOpen: true))
        {
            (saved, payload) = SessionStateFormat.Read(framing);
        }
        SessionStateHeader mine = Header;
        if (saved != mine)
        {
            throw new InvalidDataException(Mismatch(saved, mine));
        }
        using var reader = new BinaryReader(new MemoryStream(payload, writable: false), Encoding.UTF8);
        try
        {
            _model.load(reader, strict: true);
            _optimizer.load_state_dict(reader);
            _schedule.Load(reader);
            byte[] random = reader.ReadBytes(reader.ReadInt32());
            if (reader.BaseStream.Position != payload.Length)
            {
                throw new InvalidDataException("The torchsharp session state holds more than this session reads.");
            }
            _generator.Restore(random);
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or FormatException)
        {
            throw new InvalidDataException($"The torchsharp session state is damaged: {e.Message}", e);
        }
    }

    private SessionStateHeader Header => new(_spec.Signature, _optimizerName, _schedule.Name);

    private static string Mismatch(SessionStateHeader saved, SessionStateHeader mine)
    {
        var differences = new List<string>();
        if (saved.Model != mine.Model)
        {
            differences.Add($"it holds the model '{saved.Model}', but this session's model is '{mine.Model}'");
        }
        if (saved.Optimizer != mine.Optimizer)
        {
            differences.Add($"it holds {saved.Optimizer} optimizer state, but this session uses {mine.Optimizer}");
        }
        if (saved.Schedule != mine.Schedule)
        {
            differences.Add($"it holds the '{saved.Schedule}' scheduler's state, but this session uses '{mine.Schedule}'");
        }
        return $"The saved torchsharp state does not fit this session: {string.Join("; ", differences)}. Resume with the job that wrote it.";
    }
}
