namespace SharpNT.Drivers.Storage;

/// <summary>One host image file served as a volume by <see cref="ImageDiskDriver"/>.</summary>
public sealed record ImageDiskOptions(string Path, bool ReadOnly = false);
