namespace SharpNT.Kernel.Io;

/// <summary>DRIVER_INITIALIZE: a driver's entry point.</summary>
public delegate NTSTATUS DRIVER_INITIALIZE(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath);

/// <summary>DRIVER_DISPATCH: handles one major function for a device.</summary>
public delegate NTSTATUS DRIVER_DISPATCH(DEVICE_OBJECT DeviceObject, IRP Irp);

/// <summary>DRIVER_UNLOAD: releases what the driver holds before its image goes.</summary>
public delegate void DRIVER_UNLOAD(DRIVER_OBJECT DriverObject);

/// <summary>DRIVER_ADD_DEVICE: creates and attaches the driver's device for a PDO.</summary>
public delegate NTSTATUS DRIVER_ADD_DEVICE(DRIVER_OBJECT DriverObject, DEVICE_OBJECT PhysicalDeviceObject);

/// <summary>DRIVER_STARTIO: starts the device on one IRP.</summary>
public delegate void DRIVER_STARTIO(DEVICE_OBJECT DeviceObject, IRP Irp);

/// <summary>DRIVER_CANCEL: cancels an IRP; called with the cancel spin lock held.</summary>
public delegate void DRIVER_CANCEL(DEVICE_OBJECT DeviceObject, IRP Irp);

/// <summary>IO_COMPLETION_ROUTINE: sees an IRP on its way back up.</summary>
public delegate NTSTATUS IO_COMPLETION_ROUTINE(DEVICE_OBJECT DeviceObject, IRP Irp, object? Context);

/// <summary>IO_WORKITEM_ROUTINE: runs on a system worker thread at PASSIVE_LEVEL.</summary>
public delegate void IO_WORKITEM_ROUTINE(DEVICE_OBJECT DeviceObject, object? Context);
