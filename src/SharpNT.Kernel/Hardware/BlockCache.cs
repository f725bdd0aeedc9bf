using Microsoft.Win32.SafeHandles;

namespace SharpNT.Kernel.Hardware;

/// <summary>
/// A raw disk image on the host, served through a cache of 64 KiB blocks: a miss reads one whole block
/// with one host read, writes go to the cached block, and dirty blocks reach the file on
/// <see cref="Flush"/> (the drive's volatile write cache, written back on a flush or a clean shutdown).
/// Callers serialise access (the controller's lock).
/// </summary>
internal sealed class BlockCache : IDisposable
{
    internal const int SectorSize = 512;
    internal const int BlockSize = 64 * 1024;

    /// <summary>At most this many bytes are cached; beyond it clean blocks are dropped (dirty ones written first).</summary>
    internal const long CapacityBytes = 256L * 1024 * 1024;

    private readonly SafeFileHandle _file;
    private readonly Dictionary<long, Block> _blocks = [];
    private readonly bool _readOnly;
    private bool _closed;

    private sealed class Block(byte[] data)
    {
        public byte[] Data { get; } = data;

        public bool Dirty { get; set; }
    }

    internal BlockCache(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        if (!File.Exists(Path))
        {
            throw new DiskImageException("the file does not exist");
        }

        try
        {
            _file = File.OpenHandle(Path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        }
        catch (UnauthorizedAccessException)
        {
            try
            {
                _file = File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                _readOnly = true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new DiskImageException($"cannot open it ({e.Message})", e);
            }
        }
        catch (IOException e)
        {
            throw new DiskImageException($"cannot open it ({e.Message})", e);
        }

        Length = RandomAccess.GetLength(_file);
        if (Length == 0 || Length % SectorSize != 0)
        {
            _file.Dispose();
            throw new DiskImageException($"its size ({Length} bytes) is not a positive whole number of {SectorSize}-byte sectors");
        }
    }

    internal string Path { get; }

    /// <summary>The image's size in bytes (a multiple of the sector size).</summary>
    internal long Length { get; }

    internal long SectorCount => Length / SectorSize;

    /// <summary>Whether the host file could only be opened for reading (writes then fail as media errors).</summary>
    internal bool ReadOnly => _readOnly;

    /// <summary>Host reads done so far (each fills one whole block).</summary>
    internal long HostReads { get; private set; }

    /// <summary>Host writes done so far.</summary>
    internal long HostWrites { get; private set; }

    internal int DirtyBlocks => _blocks.Values.Count(b => b.Dirty);

    internal void Read(long offset, Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            var block = GetBlock(offset / BlockSize);
            var within = (int)(offset % BlockSize);
            var count = Math.Min(destination.Length, block.Data.Length - within);
            block.Data.AsSpan(within, count).CopyTo(destination);
            destination = destination[count..];
            offset += count;
        }
    }

    internal void Write(long offset, ReadOnlySpan<byte> source)
    {
        while (!source.IsEmpty)
        {
            var block = GetBlock(offset / BlockSize);
            var within = (int)(offset % BlockSize);
            var count = Math.Min(source.Length, block.Data.Length - within);
            source[..count].CopyTo(block.Data.AsSpan(within, count));
            block.Dirty = true;
            source = source[count..];
            offset += count;
        }
    }

    /// <summary>Writes every dirty block to the file, in order, adjacent blocks in one host write.</summary>
    internal void Flush()
    {
        if (_closed || _readOnly)
        {
            return;
        }

        var dirty = _blocks.Where(b => b.Value.Dirty).Select(b => b.Key).Order().ToArray();
        var i = 0;
        while (i < dirty.Length)
        {
            var j = i;
            while (j + 1 < dirty.Length && dirty[j + 1] == dirty[j] + 1 && j - i < 15)
            {
                j++;
            }

            var buffers = new ReadOnlyMemory<byte>[j - i + 1];
            for (var k = i; k <= j; k++)
            {
                buffers[k - i] = _blocks[dirty[k]].Data;
            }

            RandomAccess.Write(_file, buffers, dirty[i] * BlockSize);
            HostWrites++;
            for (var k = i; k <= j; k++)
            {
                _blocks[dirty[k]].Dirty = false;
            }

            i = j + 1;
        }
    }

    /// <summary>The cache is lost (power loss): nothing more reaches the file.</summary>
    internal void Discard()
    {
        _blocks.Clear();
        Close();
    }

    internal void Close()
    {
        if (!_closed)
        {
            _closed = true;
            _file.Dispose();
        }
    }

    public void Dispose() => Close();

    private Block GetBlock(long index)
    {
        if (_blocks.TryGetValue(index, out var block))
        {
            return block;
        }

        if ((long)(_blocks.Count + 1) * BlockSize > CapacityBytes)
        {
            Evict();
        }

        var start = index * BlockSize;
        var size = (int)Math.Min(BlockSize, Length - start);
        var data = new byte[size];
        if (!_closed)
        {
            var done = 0;
            while (done < size)
            {
                var n = RandomAccess.Read(_file, data.AsSpan(done), start + done);
                if (n <= 0)
                {
                    break;
                }

                done += n;
            }

            HostReads++;
        }

        block = new Block(data);
        _blocks[index] = block;
        return block;
    }

    private void Evict()
    {
        if (!_blocks.Values.Any(b => !b.Dirty))
        {
            Flush();
        }

        var victims = _blocks.Where(b => !b.Value.Dirty).Select(b => b.Key).Take(_blocks.Count / 4 + 1).ToArray();
        foreach (var v in victims)
        {
            _blocks.Remove(v);
        }
    }
}
