using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Io.Layout;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.IRP_MN;
using static SharpNT.Kernel.Io.SL_FLAGS;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Fastfat;

public sealed partial class FatDriver
{
    /// <summary>
    /// IRP_MJ_DIRECTORY_CONTROL / IRP_MN_QUERY_DIRECTORY, as NtQueryDirectoryFile sends it: entries of the
    /// directory matching the search expression (Parameters.QueryDirectory.FileName, fixed by the first query
    /// on the handle) in the class asked, 8-byte aligned and chained by NextEntryOffset. SL_RESTART_SCAN starts
    /// over, SL_RETURN_SINGLE_ENTRY returns one. The first query on a handle that matches nothing gets
    /// STATUS_NO_SUCH_FILE, a later one that finds no more STATUS_NO_MORE_FILES; a first entry whose name does
    /// not fit is cut, with STATUS_BUFFER_OVERFLOW.
    /// </summary>
    private NTSTATUS FatFsdDirectoryControl(DEVICE_OBJECT DeviceObject, IRP Irp) => VolumeRequest(DeviceObject, Irp, FatCommonDirectoryControl);

    private static NTSTATUS FatCommonDirectoryControl(FatVcb vcb, IRP irp, IO_STACK_LOCATION irpSp, out ulong information)
    {
        information = 0;
        if (irpSp.MinorFunction != IRP_MN_QUERY_DIRECTORY)
        {
            return STATUS_INVALID_DEVICE_REQUEST;
        }

        var ccb = CcbOf(vcb, irpSp.FileObject);
        if (ccb?.Fcb is not { IsDirectory: true } directory)
        {
            return STATUS_INVALID_PARAMETER;
        }

        var infoClass = irpSp.Parameters.QueryDirectory.FileInformationClass;
        var fixedSize = infoClass switch
        {
            FileDirectoryInformation => FileDirectoryInformationLayout.FileName,
            FileFullDirectoryInformation => FileFullDirInformationLayout.FileName,
            FileBothDirectoryInformation => FileBothDirInformationLayout.FileName,
            FileNamesInformation => FileNamesInformationLayout.FileName,
            _ => -1,
        };
        if (fixedSize < 0)
        {
            return STATUS_INVALID_INFO_CLASS;
        }

        var length = (int)irpSp.Parameters.QueryDirectory.Length;
        if (length < fixedSize)
        {
            return STATUS_INFO_LENGTH_MISMATCH;
        }

        var buffer = MapUserBuffer(irp);
        if (buffer == 0)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        var flags = irpSp.Flags;
        var initialQuery = ccb.QueryExpression is null;
        if (initialQuery)
        {
            ccb.QueryExpression = new FatNameExpression(ReadQueryName(irpSp.Parameters.QueryDirectory.FileName));
            ccb.QueryCursor = 0;
        }

        if ((flags & SL_RESTART_SCAN) != 0)
        {
            ccb.QueryCursor = 0;
        }

        var single = (flags & SL_RETURN_SINGLE_ENTRY) != 0;
        var entries = new List<FatDirectoryEntryInfo>(1);
        var offset = 0;
        var previous = -1;
        var status = STATUS_SUCCESS;
        while (true)
        {
            var cursor = ccb.QueryCursor;
            entries.Clear();
            var found = vcb.Volume.QueryDirectory(directory, ccb.QueryExpression!, ref cursor, 1, entries);
            if (!found.IsSuccess())
            {
                if (previous < 0)
                {
                    status = found == STATUS_NO_SUCH_FILE && !initialQuery ? STATUS_NO_MORE_FILES : found;
                }

                break;
            }

            var entry = entries[0];
            var nameBytes = entry.FileName.Length * 2;
            var start = previous < 0 ? 0 : (offset + 7) & ~7;
            var room = length - start;
            if (fixedSize + nameBytes > room)
            {
                if (previous >= 0)
                {
                    // It waits for the next query.
                    break;
                }

                // Not even the first entry fits: as much of its name as fits, and the entry is consumed.
                WriteDirectoryEntry(infoClass, buffer, entry, room - fixedSize);
                ccb.QueryCursor = cursor;
                information = (ulong)length;
                return STATUS_BUFFER_OVERFLOW;
            }

            if (previous >= 0)
            {
                WriteMemory(buffer + (ulong)previous, (uint)(start - previous));
            }

            WriteDirectoryEntry(infoClass, buffer + (ulong)start, entry, nameBytes);
            ccb.QueryCursor = cursor;
            previous = start;
            offset = start + fixedSize + nameBytes;
            if (single)
            {
                break;
            }
        }

        information = (ulong)offset;
        return status;
    }

    /// <summary>Parameters.QueryDirectory.FileName: a PUNICODE_STRING (x64: Length at 0, Buffer at 8), or NULL for "*".</summary>
    private static string? ReadQueryName(ulong unicodeString)
    {
        if (unicodeString == 0)
        {
            return null;
        }

        var length = ReadMemory<ushort>(unicodeString);
        var text = ReadMemory<ulong>(unicodeString + 8);
        return length == 0 || text == 0 ? null : ReadName(text, length);
    }

    /// <summary>One entry in the class's layout, with NextEntryOffset 0 and at most <paramref name="nameBytes"/> bytes of its name.</summary>
    private static void WriteDirectoryEntry(int infoClass, ulong address, FatDirectoryEntryInfo entry, int nameBytes)
    {
        var fullLength = (uint)(entry.FileName.Length * 2);
        WriteMemory(address + FileDirectoryInformationLayout.NextEntryOffset, 0u);
        WriteMemory(address + FileDirectoryInformationLayout.FileIndex, entry.FileIndex);
        if (infoClass == FileNamesInformation)
        {
            WriteMemory(address + FileNamesInformationLayout.FileNameLength, fullLength);
            WriteName(address + FileNamesInformationLayout.FileName, entry.FileName, nameBytes);
            return;
        }

        WriteMemory(address + FileDirectoryInformationLayout.CreationTime, entry.CreationTime);
        WriteMemory(address + FileDirectoryInformationLayout.LastAccessTime, entry.LastAccessTime);
        WriteMemory(address + FileDirectoryInformationLayout.LastWriteTime, entry.LastWriteTime);
        WriteMemory(address + FileDirectoryInformationLayout.ChangeTime, entry.ChangeTime);
        WriteMemory(address + FileDirectoryInformationLayout.EndOfFile, entry.EndOfFile);
        WriteMemory(address + FileDirectoryInformationLayout.AllocationSize, entry.AllocationSize);
        WriteMemory(address + FileDirectoryInformationLayout.FileAttributes, entry.FileAttributes);
        WriteMemory(address + FileDirectoryInformationLayout.FileNameLength, fullLength);
        switch (infoClass)
        {
            case FileDirectoryInformation:
                WriteName(address + FileDirectoryInformationLayout.FileName, entry.FileName, nameBytes);
                break;
            case FileFullDirectoryInformation:
                WriteMemory(address + FileFullDirInformationLayout.EaSize, 0u);
                WriteName(address + FileFullDirInformationLayout.FileName, entry.FileName, nameBytes);
                break;
            default:
                // The 8.3 name only when it differs from the name shown (fastfat leaves it empty otherwise).
                var shortName = string.Equals(entry.ShortName, entry.FileName, StringComparison.Ordinal) ? "" : entry.ShortName;
                WriteMemory(address + FileBothDirInformationLayout.EaSize, 0u);
                WriteMemory(address + FileBothDirInformationLayout.ShortNameLength, (byte)(shortName.Length * 2));
                RtlZeroMemory(address + FileBothDirInformationLayout.ShortName, 24);
                WriteName(address + FileBothDirInformationLayout.ShortName, shortName, 24);
                WriteName(address + FileBothDirInformationLayout.FileName, entry.FileName, nameBytes);
                break;
        }
    }
}
