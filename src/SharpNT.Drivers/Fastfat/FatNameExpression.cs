namespace SharpNT.Drivers.Fastfat;

/// <summary>
/// A directory-enumeration search expression, matched as FsRtlIsNameInExpression matches with IgnoreCase:
/// <c>*</c> any run, <c>?</c> one character, and the DOS wildcards the Win32 layer produces: DOS_STAR
/// (<c>&lt;</c>) any run up to the last period, DOS_QM (<c>&gt;</c>) one character or nothing at a period
/// or the end, DOS_DOT (<c>"</c>) a period or nothing at the end.
/// </summary>
internal sealed class FatNameExpression
{
    private const char DosStar = '<';
    private const char DosQm = '>';
    private const char DosDot = '"';

    private readonly string _expression;
    private readonly bool _matchesAll;
    private readonly bool _hasWildcards;

    public FatNameExpression(string? expression)
    {
        _expression = string.IsNullOrEmpty(expression) ? "*" : FatNames.UpcaseKey(expression);
        _matchesAll = _expression.AsSpan().Trim('*').IsEmpty;
        _hasWildcards = _expression.AsSpan().IndexOfAny("*?<>\"") >= 0;
    }

    public string Expression => _expression;

    /// <summary>Whether the expression has wildcards (FsRtlDoesNameContainWildCards); without them it names one file.</summary>
    public bool HasWildcards => _hasWildcards;

    public bool IsMatch(string name)
    {
        if (_matchesAll)
        {
            return true;
        }

        var upper = FatNames.UpcaseKey(name);
        if (!_hasWildcards)
        {
            return string.Equals(upper, _expression, StringComparison.Ordinal);
        }

        // Memoised over (expression position, name position): backtracking on '*' stays polynomial.
        var memo = new sbyte[(_expression.Length + 1) * (upper.Length + 1)];
        return Match(upper, 0, 0, memo);
    }

    private bool Match(string name, int e, int n, sbyte[] memo)
    {
        var slot = (e * (name.Length + 1)) + n;
        if (memo[slot] != 0)
        {
            return memo[slot] > 0;
        }

        var result = MatchUncached(name, e, n, memo);
        memo[slot] = result ? (sbyte)1 : (sbyte)-1;
        return result;
    }

    private bool MatchUncached(string name, int e, int n, sbyte[] memo)
    {
        if (e == _expression.Length)
        {
            return n == name.Length;
        }

        var atEnd = n == name.Length;
        switch (_expression[e])
        {
            case '*':
                return Match(name, e + 1, n, memo) || (!atEnd && Match(name, e, n + 1, memo));
            case '?':
                return !atEnd && Match(name, e + 1, n + 1, memo);
            case DosStar:
                if (Match(name, e + 1, n, memo))
                {
                    return true;
                }

                // It may consume a character unless that character is the name's last period.
                return !atEnd && (name[n] != '.' || name.IndexOf('.', n + 1) >= 0) && Match(name, e, n + 1, memo);
            case DosQm:
                return atEnd || name[n] == '.' ? Match(name, e + 1, n, memo) : Match(name, e + 1, n + 1, memo);
            case DosDot:
                return atEnd ? Match(name, e + 1, n, memo) : name[n] == '.' && Match(name, e + 1, n + 1, memo);
            default:
                return !atEnd && name[n] == _expression[e] && Match(name, e + 1, n + 1, memo);
        }
    }
}
