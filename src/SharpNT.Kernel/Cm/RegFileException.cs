namespace SharpNT.Kernel.Cm;

/// <summary>A .reg file was refused; the registry was left as it was. The message names file and line.</summary>
internal sealed class RegFileException : Exception
{
    internal RegFileException(RegFileError error)
        : base(error.Message) => Error = error;

    internal RegFileError Error { get; }
}
