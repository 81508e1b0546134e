using System.Buffers.Binary;
using System.IO.Compression;

namespace Conduit.DataSources.Common;

/// <summary>
/// Opens a data file for one sequential read, decompressing gzip (recognized by its magic bytes or a <c>.gz</c> name)
/// on the fly and refusing a gzip file that ends early: .NET's <see cref="GZipStream"/> treats a cut-off file as a
/// normal end, which would silently train on part of the data.
/// </summary>
public static class DataFile
{
    /// <summary>Opens <paramref name="path"/>; <paramref name="what"/> says what was expected, for messages (<c>a CSV file (data.path)</c>).</summary>
    /// <exception cref="InvalidDataException">The file does not exist or is a folder; the message names the full path.</exception>
    public static Stream OpenRead(string path, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new InvalidDataException(Directory.Exists(full)
                ? $"{full}: is a folder; expected {what}"
                : $"{full}: the file does not exist; expected {what}");
        }
        var file = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return IsGzip(file) ? new CheckedGzipStream(file) : file;
    }

    /// <summary>Whether <paramref name="stream"/> is a gzip-compressed stream opened by <see cref="OpenRead"/>.</summary>
    public static bool IsCompressed(Stream stream) => stream is CheckedGzipStream;

    private static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return (read == 2 && magic[0] == 0x1F && magic[1] == 0x8B) || file.Name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Decompresses and, at the end, compares the bytes produced with the size the gzip trailer records (its last four
    /// bytes, RFC 1952 ISIZE, modulo 2^32): a file cut anywhere leaves a trailer that does not match.
    /// </summary>
    /// <remarks>
    /// A file of several gzip members (as bgzip writes) records only its last member's size and is refused; one
    /// member (<c>gzip -dc in.gz | gzip &gt; out.gz</c>) reads.
    /// </remarks>
    private sealed class CheckedGzipStream(FileStream file) : Stream
    {
        private readonly GZipStream _inflate = new(file, CompressionMode.Decompress);
        private long _produced;
        private bool _checked;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _produced;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int read = _inflate.Read(buffer);
            _produced += read;
            if (read == 0 && buffer.Length > 0)
            {
                CheckComplete();
            }
            return read;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inflate.Dispose();
            }
            base.Dispose(disposing);
        }

        private void CheckComplete()
        {
            if (_checked)
            {
                return;
            }
            _checked = true;
            using var trailer = new FileStream(file.Name, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            Span<byte> size = stackalloc byte[4];
            if (trailer.Length < 18)
            {
                throw new InvalidDataException($"the gzip data ends after {trailer.Length} bytes, before its header and trailer are complete (the file is cut short)");
            }
            trailer.Seek(-4, SeekOrigin.End);
            trailer.ReadExactly(size);
            uint recorded = BinaryPrimitives.ReadUInt32LittleEndian(size);
            if (recorded != (uint)_produced)
            {
                throw new InvalidDataException($"the gzip data ends after {_produced} decompressed bytes, but its trailer records {recorded} (modulo 4 GiB): the file is cut short or damaged");
            }
        }
    }
}
