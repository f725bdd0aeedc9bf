using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using SharpNT.Kernel.Io.Layout;

namespace SharpNT.Kernel.Io;

/// <summary>
/// The Parameters union of an IO_STACK_LOCATION: one view per request kind, as wdm.h names the members
/// (Parameters.DeviceIoControl.IoControlCode, Parameters.Read.Length, ...). All of them share the same bytes.
/// </summary>
public readonly record struct IO_STACK_LOCATION_PARAMETERS(ulong StackLocation)
{
    [UnscopedRef]
    public ref CreateParameters Create => ref Unsafe.As<IO_STACK_LOCATION_PARAMETERS, CreateParameters>(ref Unsafe.AsRef(in this));

    [UnscopedRef]
    public ref ReadParameters Read => ref Unsafe.As<IO_STACK_LOCATION_PARAMETERS, ReadParameters>(ref Unsafe.AsRef(in this));

    [UnscopedRef]
    public ref WriteParameters Write => ref Unsafe.As<IO_STACK_LOCATION_PARAMETERS, WriteParameters>(ref Unsafe.AsRef(in this));

    [UnscopedRef]
    public ref DeviceIoControlParameters DeviceIoControl => ref Unsafe.As<IO_STACK_LOCATION_PARAMETERS, DeviceIoControlParameters>(ref Unsafe.AsRef(in this));

    [UnscopedRef]
    public ref FileSystemControlParameters FileSystemControl => ref Unsafe.As<IO_STACK_LOCATION_PARAMETERS, FileSystemControlParameters>(ref Unsafe.AsRef(in this));

    [UnscopedRef]
    public ref QueryDirectoryParameters QueryDirectory => ref Unsafe.As<IO_STACK_LOCATION_PARAMETERS, QueryDirectoryParameters>(ref Unsafe.AsRef(in this));

    [UnscopedRef]
    public ref QueryFileParameters QueryFile => ref Unsafe.As<IO_STACK_LOCATION_PARAMETERS, QueryFileParameters>(ref Unsafe.AsRef(in this));

    [UnscopedRef]
    public ref SetFileParameters SetFile => ref Unsafe.As<IO_STACK_LOCATION_PARAMETERS, SetFileParameters>(ref Unsafe.AsRef(in this));

    [UnscopedRef]
    public ref QueryVolumeParameters QueryVolume => ref Unsafe.As<IO_STACK_LOCATION_PARAMETERS, QueryVolumeParameters>(ref Unsafe.AsRef(in this));

    [UnscopedRef]
    public ref SetVolumeParameters SetVolume => ref Unsafe.As<IO_STACK_LOCATION_PARAMETERS, SetVolumeParameters>(ref Unsafe.AsRef(in this));

    [UnscopedRef]
    public ref MountVolumeParameters MountVolume => ref Unsafe.As<IO_STACK_LOCATION_PARAMETERS, MountVolumeParameters>(ref Unsafe.AsRef(in this));

    [UnscopedRef]
    public ref VerifyVolumeParameters VerifyVolume => ref Unsafe.As<IO_STACK_LOCATION_PARAMETERS, VerifyVolumeParameters>(ref Unsafe.AsRef(in this));

    [UnscopedRef]
    public ref LockControlParameters LockControl => ref Unsafe.As<IO_STACK_LOCATION_PARAMETERS, LockControlParameters>(ref Unsafe.AsRef(in this));

    [UnscopedRef]
    public ref QueryDeviceRelationsParameters QueryDeviceRelations => ref Unsafe.As<IO_STACK_LOCATION_PARAMETERS, QueryDeviceRelationsParameters>(ref Unsafe.AsRef(in this));

    [UnscopedRef]
    public ref QueryInterfaceParameters QueryInterface => ref Unsafe.As<IO_STACK_LOCATION_PARAMETERS, QueryInterfaceParameters>(ref Unsafe.AsRef(in this));

    [UnscopedRef]
    public ref DeviceCapabilitiesParameters DeviceCapabilities => ref Unsafe.As<IO_STACK_LOCATION_PARAMETERS, DeviceCapabilitiesParameters>(ref Unsafe.AsRef(in this));

    [UnscopedRef]
    public ref QueryIdParameters QueryId => ref Unsafe.As<IO_STACK_LOCATION_PARAMETERS, QueryIdParameters>(ref Unsafe.AsRef(in this));

    [UnscopedRef]
    public ref QueryDeviceTextParameters QueryDeviceText => ref Unsafe.As<IO_STACK_LOCATION_PARAMETERS, QueryDeviceTextParameters>(ref Unsafe.AsRef(in this));

    [UnscopedRef]
    public ref UsageNotificationParameters UsageNotification => ref Unsafe.As<IO_STACK_LOCATION_PARAMETERS, UsageNotificationParameters>(ref Unsafe.AsRef(in this));

    [UnscopedRef]
    public ref StartDeviceParameters StartDevice => ref Unsafe.As<IO_STACK_LOCATION_PARAMETERS, StartDeviceParameters>(ref Unsafe.AsRef(in this));

    [UnscopedRef]
    public ref PowerParameters Power => ref Unsafe.As<IO_STACK_LOCATION_PARAMETERS, PowerParameters>(ref Unsafe.AsRef(in this));

    [UnscopedRef]
    public ref ScsiParameters Scsi => ref Unsafe.As<IO_STACK_LOCATION_PARAMETERS, ScsiParameters>(ref Unsafe.AsRef(in this));

    [UnscopedRef]
    public ref OthersParameters Others => ref Unsafe.As<IO_STACK_LOCATION_PARAMETERS, OthersParameters>(ref Unsafe.AsRef(in this));

    /// <summary>Parameters.Create.</summary>
    public readonly record struct CreateParameters(ulong StackLocation)
    {
        public ulong SecurityContext
        {
            get => ViewMemory.Read<ulong>(StackLocation + IoStackLocationLayout.Parameters_Create_SecurityContext);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_Create_SecurityContext, value);
        }

        public uint Options
        {
            get => ViewMemory.Read<uint>(StackLocation + IoStackLocationLayout.Parameters_Create_Options);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_Create_Options, value);
        }

        public ushort FileAttributes
        {
            get => ViewMemory.Read<ushort>(StackLocation + IoStackLocationLayout.Parameters_Create_FileAttributes);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_Create_FileAttributes, value);
        }

        public ushort ShareAccess
        {
            get => ViewMemory.Read<ushort>(StackLocation + IoStackLocationLayout.Parameters_Create_ShareAccess);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_Create_ShareAccess, value);
        }

        public uint EaLength
        {
            get => ViewMemory.Read<uint>(StackLocation + IoStackLocationLayout.Parameters_Create_EaLength);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_Create_EaLength, value);
        }
    }

    /// <summary>Parameters.Read.</summary>
    public readonly record struct ReadParameters(ulong StackLocation)
    {
        public uint Length
        {
            get => ViewMemory.Read<uint>(StackLocation + IoStackLocationLayout.Parameters_Read_Length);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_Read_Length, value);
        }

        public uint Key
        {
            get => ViewMemory.Read<uint>(StackLocation + IoStackLocationLayout.Parameters_Read_Key);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_Read_Key, value);
        }

        public uint Flags
        {
            get => ViewMemory.Read<uint>(StackLocation + IoStackLocationLayout.Parameters_Read_Flags);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_Read_Flags, value);
        }

        public long ByteOffset
        {
            get => ViewMemory.Read<long>(StackLocation + IoStackLocationLayout.Parameters_Read_ByteOffset);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_Read_ByteOffset, value);
        }
    }

    /// <summary>Parameters.Write.</summary>
    public readonly record struct WriteParameters(ulong StackLocation)
    {
        public uint Length
        {
            get => ViewMemory.Read<uint>(StackLocation + IoStackLocationLayout.Parameters_Write_Length);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_Write_Length, value);
        }

        public uint Key
        {
            get => ViewMemory.Read<uint>(StackLocation + IoStackLocationLayout.Parameters_Write_Key);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_Write_Key, value);
        }

        public uint Flags
        {
            get => ViewMemory.Read<uint>(StackLocation + IoStackLocationLayout.Parameters_Write_Flags);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_Write_Flags, value);
        }

        public long ByteOffset
        {
            get => ViewMemory.Read<long>(StackLocation + IoStackLocationLayout.Parameters_Write_ByteOffset);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_Write_ByteOffset, value);
        }
    }

    /// <summary>Parameters.DeviceIoControl.</summary>
    public readonly record struct DeviceIoControlParameters(ulong StackLocation)
    {
        public uint OutputBufferLength
        {
            get => ViewMemory.Read<uint>(StackLocation + IoStackLocationLayout.Parameters_DeviceIoControl_OutputBufferLength);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_DeviceIoControl_OutputBufferLength, value);
        }

        public uint InputBufferLength
        {
            get => ViewMemory.Read<uint>(StackLocation + IoStackLocationLayout.Parameters_DeviceIoControl_InputBufferLength);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_DeviceIoControl_InputBufferLength, value);
        }

        public uint IoControlCode
        {
            get => ViewMemory.Read<uint>(StackLocation + IoStackLocationLayout.Parameters_DeviceIoControl_IoControlCode);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_DeviceIoControl_IoControlCode, value);
        }

        public ulong Type3InputBuffer
        {
            get => ViewMemory.Read<ulong>(StackLocation + IoStackLocationLayout.Parameters_DeviceIoControl_Type3InputBuffer);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_DeviceIoControl_Type3InputBuffer, value);
        }
    }

    /// <summary>Parameters.FileSystemControl.</summary>
    public readonly record struct FileSystemControlParameters(ulong StackLocation)
    {
        public uint OutputBufferLength
        {
            get => ViewMemory.Read<uint>(StackLocation + IoStackLocationLayout.Parameters_FileSystemControl_OutputBufferLength);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_FileSystemControl_OutputBufferLength, value);
        }

        public uint InputBufferLength
        {
            get => ViewMemory.Read<uint>(StackLocation + IoStackLocationLayout.Parameters_FileSystemControl_InputBufferLength);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_FileSystemControl_InputBufferLength, value);
        }

        public uint FsControlCode
        {
            get => ViewMemory.Read<uint>(StackLocation + IoStackLocationLayout.Parameters_FileSystemControl_FsControlCode);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_FileSystemControl_FsControlCode, value);
        }

        public ulong Type3InputBuffer
        {
            get => ViewMemory.Read<ulong>(StackLocation + IoStackLocationLayout.Parameters_FileSystemControl_Type3InputBuffer);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_FileSystemControl_Type3InputBuffer, value);
        }
    }

    /// <summary>Parameters.QueryDirectory.</summary>
    public readonly record struct QueryDirectoryParameters(ulong StackLocation)
    {
        public uint Length
        {
            get => ViewMemory.Read<uint>(StackLocation + IoStackLocationLayout.Parameters_QueryDirectory_Length);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_QueryDirectory_Length, value);
        }

        public ulong FileName
        {
            get => ViewMemory.Read<ulong>(StackLocation + IoStackLocationLayout.Parameters_QueryDirectory_FileName);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_QueryDirectory_FileName, value);
        }

        public int FileInformationClass
        {
            get => ViewMemory.Read<int>(StackLocation + IoStackLocationLayout.Parameters_QueryDirectory_FileInformationClass);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_QueryDirectory_FileInformationClass, value);
        }

        public uint FileIndex
        {
            get => ViewMemory.Read<uint>(StackLocation + IoStackLocationLayout.Parameters_QueryDirectory_FileIndex);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_QueryDirectory_FileIndex, value);
        }
    }

    /// <summary>Parameters.QueryFile.</summary>
    public readonly record struct QueryFileParameters(ulong StackLocation)
    {
        public uint Length
        {
            get => ViewMemory.Read<uint>(StackLocation + IoStackLocationLayout.Parameters_QueryFile_Length);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_QueryFile_Length, value);
        }

        public int FileInformationClass
        {
            get => ViewMemory.Read<int>(StackLocation + IoStackLocationLayout.Parameters_QueryFile_FileInformationClass);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_QueryFile_FileInformationClass, value);
        }
    }

    /// <summary>Parameters.SetFile.</summary>
    public readonly record struct SetFileParameters(ulong StackLocation)
    {
        public uint Length
        {
            get => ViewMemory.Read<uint>(StackLocation + IoStackLocationLayout.Parameters_SetFile_Length);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_SetFile_Length, value);
        }

        public int FileInformationClass
        {
            get => ViewMemory.Read<int>(StackLocation + IoStackLocationLayout.Parameters_SetFile_FileInformationClass);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_SetFile_FileInformationClass, value);
        }

        public ulong FileObject
        {
            get => ViewMemory.Read<ulong>(StackLocation + IoStackLocationLayout.Parameters_SetFile_FileObject);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_SetFile_FileObject, value);
        }

        public byte ReplaceIfExists
        {
            get => ViewMemory.Read<byte>(StackLocation + IoStackLocationLayout.Parameters_SetFile_ReplaceIfExists);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_SetFile_ReplaceIfExists, value);
        }

        public byte AdvanceOnly
        {
            get => ViewMemory.Read<byte>(StackLocation + IoStackLocationLayout.Parameters_SetFile_AdvanceOnly);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_SetFile_AdvanceOnly, value);
        }

        public uint ClusterCount
        {
            get => ViewMemory.Read<uint>(StackLocation + IoStackLocationLayout.Parameters_SetFile_ClusterCount);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_SetFile_ClusterCount, value);
        }

        public ulong DeleteHandle
        {
            get => ViewMemory.Read<ulong>(StackLocation + IoStackLocationLayout.Parameters_SetFile_DeleteHandle);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_SetFile_DeleteHandle, value);
        }
    }

    /// <summary>Parameters.QueryVolume.</summary>
    public readonly record struct QueryVolumeParameters(ulong StackLocation)
    {
        public uint Length
        {
            get => ViewMemory.Read<uint>(StackLocation + IoStackLocationLayout.Parameters_QueryVolume_Length);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_QueryVolume_Length, value);
        }

        public int FsInformationClass
        {
            get => ViewMemory.Read<int>(StackLocation + IoStackLocationLayout.Parameters_QueryVolume_FsInformationClass);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_QueryVolume_FsInformationClass, value);
        }
    }

    /// <summary>Parameters.SetVolume.</summary>
    public readonly record struct SetVolumeParameters(ulong StackLocation)
    {
        public uint Length
        {
            get => ViewMemory.Read<uint>(StackLocation + IoStackLocationLayout.Parameters_SetVolume_Length);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_SetVolume_Length, value);
        }

        public int FsInformationClass
        {
            get => ViewMemory.Read<int>(StackLocation + IoStackLocationLayout.Parameters_SetVolume_FsInformationClass);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_SetVolume_FsInformationClass, value);
        }
    }

    /// <summary>Parameters.MountVolume.</summary>
    public readonly record struct MountVolumeParameters(ulong StackLocation)
    {
        public ulong Vpb
        {
            get => ViewMemory.Read<ulong>(StackLocation + IoStackLocationLayout.Parameters_MountVolume_Vpb);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_MountVolume_Vpb, value);
        }

        public ulong DeviceObject
        {
            get => ViewMemory.Read<ulong>(StackLocation + IoStackLocationLayout.Parameters_MountVolume_DeviceObject);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_MountVolume_DeviceObject, value);
        }
    }

    /// <summary>Parameters.VerifyVolume.</summary>
    public readonly record struct VerifyVolumeParameters(ulong StackLocation)
    {
        public ulong Vpb
        {
            get => ViewMemory.Read<ulong>(StackLocation + IoStackLocationLayout.Parameters_VerifyVolume_Vpb);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_VerifyVolume_Vpb, value);
        }

        public ulong DeviceObject
        {
            get => ViewMemory.Read<ulong>(StackLocation + IoStackLocationLayout.Parameters_VerifyVolume_DeviceObject);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_VerifyVolume_DeviceObject, value);
        }
    }

    /// <summary>Parameters.LockControl.</summary>
    public readonly record struct LockControlParameters(ulong StackLocation)
    {
        public ulong Length
        {
            get => ViewMemory.Read<ulong>(StackLocation + IoStackLocationLayout.Parameters_LockControl_Length);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_LockControl_Length, value);
        }

        public uint Key
        {
            get => ViewMemory.Read<uint>(StackLocation + IoStackLocationLayout.Parameters_LockControl_Key);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_LockControl_Key, value);
        }

        public long ByteOffset
        {
            get => ViewMemory.Read<long>(StackLocation + IoStackLocationLayout.Parameters_LockControl_ByteOffset);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_LockControl_ByteOffset, value);
        }
    }

    /// <summary>Parameters.QueryDeviceRelations.</summary>
    public readonly record struct QueryDeviceRelationsParameters(ulong StackLocation)
    {
        public int Type
        {
            get => ViewMemory.Read<int>(StackLocation + IoStackLocationLayout.Parameters_QueryDeviceRelations_Type);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_QueryDeviceRelations_Type, value);
        }
    }

    /// <summary>Parameters.QueryInterface.</summary>
    public readonly record struct QueryInterfaceParameters(ulong StackLocation)
    {
        public ulong InterfaceType
        {
            get => ViewMemory.Read<ulong>(StackLocation + IoStackLocationLayout.Parameters_QueryInterface_InterfaceType);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_QueryInterface_InterfaceType, value);
        }

        public ushort Size
        {
            get => ViewMemory.Read<ushort>(StackLocation + IoStackLocationLayout.Parameters_QueryInterface_Size);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_QueryInterface_Size, value);
        }

        public ushort Version
        {
            get => ViewMemory.Read<ushort>(StackLocation + IoStackLocationLayout.Parameters_QueryInterface_Version);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_QueryInterface_Version, value);
        }

        public ulong Interface
        {
            get => ViewMemory.Read<ulong>(StackLocation + IoStackLocationLayout.Parameters_QueryInterface_Interface);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_QueryInterface_Interface, value);
        }

        public ulong InterfaceSpecificData
        {
            get => ViewMemory.Read<ulong>(StackLocation + IoStackLocationLayout.Parameters_QueryInterface_InterfaceSpecificData);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_QueryInterface_InterfaceSpecificData, value);
        }
    }

    /// <summary>Parameters.DeviceCapabilities.</summary>
    public readonly record struct DeviceCapabilitiesParameters(ulong StackLocation)
    {
        public ulong Capabilities
        {
            get => ViewMemory.Read<ulong>(StackLocation + IoStackLocationLayout.Parameters_DeviceCapabilities_Capabilities);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_DeviceCapabilities_Capabilities, value);
        }
    }

    /// <summary>Parameters.QueryId.</summary>
    public readonly record struct QueryIdParameters(ulong StackLocation)
    {
        public int IdType
        {
            get => ViewMemory.Read<int>(StackLocation + IoStackLocationLayout.Parameters_QueryId_IdType);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_QueryId_IdType, value);
        }
    }

    /// <summary>Parameters.QueryDeviceText.</summary>
    public readonly record struct QueryDeviceTextParameters(ulong StackLocation)
    {
        public int DeviceTextType
        {
            get => ViewMemory.Read<int>(StackLocation + IoStackLocationLayout.Parameters_QueryDeviceText_DeviceTextType);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_QueryDeviceText_DeviceTextType, value);
        }

        public uint LocaleId
        {
            get => ViewMemory.Read<uint>(StackLocation + IoStackLocationLayout.Parameters_QueryDeviceText_LocaleId);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_QueryDeviceText_LocaleId, value);
        }
    }

    /// <summary>Parameters.UsageNotification.</summary>
    public readonly record struct UsageNotificationParameters(ulong StackLocation)
    {
        public byte InPath
        {
            get => ViewMemory.Read<byte>(StackLocation + IoStackLocationLayout.Parameters_UsageNotification_InPath);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_UsageNotification_InPath, value);
        }

        public int Type
        {
            get => ViewMemory.Read<int>(StackLocation + IoStackLocationLayout.Parameters_UsageNotification_Type);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_UsageNotification_Type, value);
        }
    }

    /// <summary>Parameters.StartDevice.</summary>
    public readonly record struct StartDeviceParameters(ulong StackLocation)
    {
        public ulong AllocatedResources
        {
            get => ViewMemory.Read<ulong>(StackLocation + IoStackLocationLayout.Parameters_StartDevice_AllocatedResources);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_StartDevice_AllocatedResources, value);
        }

        public ulong AllocatedResourcesTranslated
        {
            get => ViewMemory.Read<ulong>(StackLocation + IoStackLocationLayout.Parameters_StartDevice_AllocatedResourcesTranslated);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_StartDevice_AllocatedResourcesTranslated, value);
        }
    }

    /// <summary>Parameters.Power.</summary>
    public readonly record struct PowerParameters(ulong StackLocation)
    {
        public uint SystemContext
        {
            get => ViewMemory.Read<uint>(StackLocation + IoStackLocationLayout.Parameters_Power_SystemContext);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_Power_SystemContext, value);
        }

        public int Type
        {
            get => ViewMemory.Read<int>(StackLocation + IoStackLocationLayout.Parameters_Power_Type);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_Power_Type, value);
        }

        public int State
        {
            get => ViewMemory.Read<int>(StackLocation + IoStackLocationLayout.Parameters_Power_State);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_Power_State, value);
        }

        public int ShutdownType
        {
            get => ViewMemory.Read<int>(StackLocation + IoStackLocationLayout.Parameters_Power_ShutdownType);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_Power_ShutdownType, value);
        }
    }

    /// <summary>Parameters.Scsi.</summary>
    public readonly record struct ScsiParameters(ulong StackLocation)
    {
        public ulong Srb
        {
            get => ViewMemory.Read<ulong>(StackLocation + IoStackLocationLayout.Parameters_Scsi_Srb);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_Scsi_Srb, value);
        }
    }

    /// <summary>Parameters.Others.</summary>
    public readonly record struct OthersParameters(ulong StackLocation)
    {
        public ulong Argument1
        {
            get => ViewMemory.Read<ulong>(StackLocation + IoStackLocationLayout.Parameters_Others_Argument1);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_Others_Argument1, value);
        }

        public ulong Argument2
        {
            get => ViewMemory.Read<ulong>(StackLocation + IoStackLocationLayout.Parameters_Others_Argument2);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_Others_Argument2, value);
        }

        public ulong Argument3
        {
            get => ViewMemory.Read<ulong>(StackLocation + IoStackLocationLayout.Parameters_Others_Argument3);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_Others_Argument3, value);
        }

        public ulong Argument4
        {
            get => ViewMemory.Read<ulong>(StackLocation + IoStackLocationLayout.Parameters_Others_Argument4);
            set => ViewMemory.Write(StackLocation + IoStackLocationLayout.Parameters_Others_Argument4, value);
        }
    }
}
