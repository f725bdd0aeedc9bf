namespace SharpNT.Kernel.Cm;

/// <summary>
/// Fills a caller's buffer with one KEY_*_INFORMATION or KEY_VALUE_*_INFORMATION answer, with the buffer
/// rules of <see cref="CmInformation"/>: ResultLength is the whole answer's size; STATUS_BUFFER_TOO_SMALL
/// writes nothing, STATUS_BUFFER_OVERFLOW writes what fits.
/// </summary>
internal delegate NTSTATUS CmInformationWriter(Span<byte> buffer, out uint resultLength);
