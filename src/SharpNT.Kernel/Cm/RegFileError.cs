namespace SharpNT.Kernel.Cm;

/// <summary>Why a .reg file was refused: the file, the line (1-based) and what was wrong or expected.</summary>
internal sealed record RegFileError(string FileName, int Line, string Problem)
{
    public string Message => $"{FileName}, line {Line}: {Problem}";

    public override string ToString() => Message;
}
