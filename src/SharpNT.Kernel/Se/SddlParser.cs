using System.Globalization;
using static SharpNT.Kernel.AccessMask;

namespace SharpNT.Kernel.Se;

/// <summary>
/// Converts a Security Descriptor Definition Language string to a security descriptor, for the subset
/// drivers pass to IoCreateDeviceSecure and WdmlibIoCreateDeviceSecure: "O:" and "G:" with a SID,
/// "D:" with the flags P (protected), AI, AR or NO_ACCESS_CONTROL (a null DACL) and ACEs of type A (allow)
/// and D (deny), ACE flags OI, CI, NP, IO, ID, rights as two-letter codes or a hexadecimal mask, trustees
/// as SDDL aliases or "S-1-..." strings. Audit ACLs ("S:") and object ACEs are outside the subset. Any
/// malformed string is STATUS_INVALID_PARAMETER, the status IoCreateDeviceSecure documents; nothing throws.
/// </summary>
internal static class SddlParser
{
    /// <summary>Parses <paramref name="sddl"/>.</summary>
    public static NTSTATUS Parse(string? sddl, out SECURITY_DESCRIPTOR? securityDescriptor) =>
        Parse(sddl, deviceObjectSubset: false, out securityDescriptor);

    /// <summary>
    /// Parses the strict subset "SDDL for Device Objects" documents for IoCreateDeviceSecure: "D:P" followed
    /// by ACEs of the form "(A;;Access;;;SID)", Access being a hexadecimal mask or the codes GA, GR, GW, GX,
    /// RC, SD, WD, WO. Anything else is STATUS_INVALID_PARAMETER.
    /// </summary>
    public static NTSTATUS ParseForDeviceObject(string? sddl, out SECURITY_DESCRIPTOR? securityDescriptor) =>
        Parse(sddl, deviceObjectSubset: true, out securityDescriptor);

    private static NTSTATUS Parse(string? sddl, bool deviceObjectSubset, out SECURITY_DESCRIPTOR? securityDescriptor)
    {
        securityDescriptor = null;
        if (deviceObjectSubset && (sddl is null || !sddl.StartsWith("D:P", StringComparison.Ordinal)
            || (sddl.Length > 3 && sddl[3] != '(')))
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        if (string.IsNullOrWhiteSpace(sddl))
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        var sd = new SECURITY_DESCRIPTOR();
        var text = sddl.AsSpan().Trim();
        var seen = new HashSet<char>();
        while (!text.IsEmpty)
        {
            if (text.Length < 2 || text[1] != ':' || !seen.Add(text[0]))
            {
                return NTSTATUS.STATUS_INVALID_PARAMETER;
            }

            var component = text[0];
            text = text[2..];
            var end = NextComponent(text);
            var body = text[..end];
            text = text[end..];
            var ok = component switch
            {
                'O' => !deviceObjectSubset && ParseSidComponent(body, sd.SetOwner),
                'G' => !deviceObjectSubset && ParseSidComponent(body, sd.SetGroup),
                'D' => ParseDacl(body, sd, deviceObjectSubset),
                _ => false,
            };
            if (!ok)
            {
                return NTSTATUS.STATUS_INVALID_PARAMETER;
            }
        }

        securityDescriptor = sd;
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>Where the next "X:" component starts: the first component letter outside parentheses.</summary>
    private static int NextComponent(ReadOnlySpan<char> text)
    {
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case 'O' or 'G' or 'D' or 'S' when depth == 0 && i + 1 < text.Length && text[i + 1] == ':':
                    return i;
            }
        }

        return text.Length;
    }

    private static bool ParseSidComponent(ReadOnlySpan<char> body, Action<SID?, bool> set)
    {
        if (!TryParseTrustee(body, out var sid))
        {
            return false;
        }

        set(sid, false);
        return true;
    }

    private static bool ParseDacl(ReadOnlySpan<char> body, SECURITY_DESCRIPTOR sd, bool deviceObjectSubset)
    {
        var open = body.IndexOf('(');
        var flags = open < 0 ? body : body[..open];
        var aces = open < 0 ? [] : body[open..];
        var control = SE_CONTROL.SE_DACL_PRESENT;
        var nullDacl = false;
        while (!flags.IsEmpty)
        {
            if (flags.StartsWith("NO_ACCESS_CONTROL", StringComparison.Ordinal))
            {
                nullDacl = true;
                flags = flags["NO_ACCESS_CONTROL".Length..];
            }
            else if (flags.StartsWith("AR", StringComparison.Ordinal))
            {
                control |= SE_CONTROL.SE_DACL_AUTO_INHERIT_REQ;
                flags = flags[2..];
            }
            else if (flags.StartsWith("AI", StringComparison.Ordinal))
            {
                control |= SE_CONTROL.SE_DACL_AUTO_INHERITED;
                flags = flags[2..];
            }
            else if (flags[0] == 'P')
            {
                control |= SE_CONTROL.SE_DACL_PROTECTED;
                flags = flags[1..];
            }
            else
            {
                return false;
            }
        }

        var acl = new ACL();
        while (!aces.IsEmpty)
        {
            var close = aces.IndexOf(')');
            if (aces[0] != '(' || close < 0 || !TryParseAce(aces[1..close], acl, deviceObjectSubset))
            {
                return false;
            }

            aces = aces[(close + 1)..];
        }

        if (nullDacl && acl.AceCount != 0)
        {
            return false;
        }

        sd.Control |= control;
        sd.Dacl = nullDacl ? null : acl;
        return true;
    }

    /// <summary>One ACE: type;flags;rights;object guid;inherited object guid;trustee.</summary>
    private static bool TryParseAce(ReadOnlySpan<char> ace, ACL acl, bool deviceObjectSubset)
    {
        Span<Range> fields = stackalloc Range[7];
        if (ace.Split(fields, ';') != 6)
        {
            return false;
        }

        var type = ace[fields[0]] switch
        {
            "A" => AceConstants.ACCESS_ALLOWED_ACE_TYPE,
            "D" => AceConstants.ACCESS_DENIED_ACE_TYPE,
            _ => (byte)0xFF,
        };

        if (deviceObjectSubset && (type != AceConstants.ACCESS_ALLOWED_ACE_TYPE || !ace[fields[1]].IsEmpty
            || !IsDeviceObjectRights(ace[fields[2]])))
        {
            return false;
        }

        if (type == 0xFF || !TryParseAceFlags(ace[fields[1]], out var flags) || !TryParseRights(ace[fields[2]], out var mask)
            || !ace[fields[3]].IsEmpty || !ace[fields[4]].IsEmpty || !TryParseTrustee(ace[fields[5]], out var sid))
        {
            return false;
        }

        return acl.Add(type, flags, mask, sid!, growable: true) == NTSTATUS.STATUS_SUCCESS;
    }

    private static bool TryParseAceFlags(ReadOnlySpan<char> text, out byte flags)
    {
        flags = 0;
        if (text.Length % 2 != 0)
        {
            return false;
        }

        for (var i = 0; i < text.Length; i += 2)
        {
            byte flag = text.Slice(i, 2) switch
            {
                "OI" => AceConstants.OBJECT_INHERIT_ACE,
                "CI" => AceConstants.CONTAINER_INHERIT_ACE,
                "NP" => AceConstants.NO_PROPAGATE_INHERIT_ACE,
                "IO" => AceConstants.INHERIT_ONLY_ACE,
                "ID" => AceConstants.INHERITED_ACE,
                _ => 0,
            };
            if (flag == 0)
            {
                return false;
            }

            flags |= flag;
        }

        return true;
    }

    private static bool TryParseRights(ReadOnlySpan<char> text, out uint mask)
    {
        mask = 0;
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            var hex = text[2..];
            return !hex.IsEmpty && hex.Length <= 8 && All(hex, char.IsAsciiHexDigit)
                && uint.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out mask);
        }

        if (!text.IsEmpty && char.IsAsciiDigit(text[0]))
        {
            return All(text, char.IsAsciiDigit)
                && uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out mask);
        }

        if (text.IsEmpty || text.Length % 2 != 0)
        {
            return false;
        }

        for (var i = 0; i < text.Length; i += 2)
        {
            var right = Right(text.Slice(i, 2));
            if (right == 0)
            {
                return false;
            }

            mask |= right;
        }

        return true;
    }

    /// <summary>The access codes the device-object subset allows: hexadecimal, or generic and standard rights.</summary>
    private static bool IsDeviceObjectRights(ReadOnlySpan<char> text)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        for (var i = 0; i + 1 < text.Length; i += 2)
        {
            if (text.Slice(i, 2) is not ("GA" or "GR" or "GW" or "GX" or "RC" or "SD" or "WD" or "WO"))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The SDDL access right codes (sddl.h SDDL_*).</summary>
    private static uint Right(ReadOnlySpan<char> code) => code switch
    {
        "GA" => GENERIC_ALL,
        "GR" => GENERIC_READ,
        "GW" => GENERIC_WRITE,
        "GX" => GENERIC_EXECUTE,
        "RC" => READ_CONTROL,
        "SD" => DELETE,
        "WD" => WRITE_DAC,
        "WO" => WRITE_OWNER,
        "FA" => FILE_ALL_ACCESS,
        "FR" => FILE_GENERIC_READ,
        "FW" => FILE_GENERIC_WRITE,
        "FX" => FILE_GENERIC_EXECUTE,
        "KA" => KEY_ALL_ACCESS,
        "KR" => KEY_READ,
        "KW" => KEY_WRITE,
        "KX" => KEY_EXECUTE,
        "CC" => 0x1,
        "DC" => 0x2,
        "LC" => 0x4,
        "SW" => 0x8,
        "RP" => 0x10,
        "WP" => 0x20,
        "DT" => 0x40,
        "LO" => 0x80,
        "CR" => 0x100,
        _ => 0,
    };

    /// <summary>A trustee: an "S-1-..." string or one of the SDDL SID aliases (sddl.h SDDL_*).</summary>
    private static bool TryParseTrustee(ReadOnlySpan<char> text, out SID? sid)
    {
        if (text.Length > 2)
        {
            return SID.TryParse(text.ToString(), out sid);
        }

        sid = text switch
        {
            "SY" => WellKnownSids.LocalSystem,
            "BA" => WellKnownSids.BuiltinAdministrators,
            "BU" => WellKnownSids.BuiltinUsers,
            "BG" => WellKnownSids.BuiltinGuests,
            "PU" => WellKnownSids.BuiltinPowerUsers,
            "AO" => BuiltinAlias(548),
            "SO" => BuiltinAlias(549),
            "PO" => BuiltinAlias(550),
            "BO" => BuiltinAlias(551),
            "RD" => BuiltinAlias(555),
            "NO" => BuiltinAlias(556),
            "WD" => WellKnownSids.World,
            "AU" => WellKnownSids.AuthenticatedUsers,
            "LS" => WellKnownSids.LocalService,
            "NS" => WellKnownSids.NetworkService,
            "IU" => WellKnownSids.Interactive,
            "SU" => WellKnownSids.Service,
            "NU" => new SID(WellKnownSids.SECURITY_NT_AUTHORITY, 2),
            "AN" => new SID(WellKnownSids.SECURITY_NT_AUTHORITY, 7),
            "PS" => new SID(WellKnownSids.SECURITY_NT_AUTHORITY, 10),
            "RC" => new SID(WellKnownSids.SECURITY_NT_AUTHORITY, 12),
            "CO" => WellKnownSids.CreatorOwner,
            "CG" => WellKnownSids.CreatorGroup,
            "OW" => new SID(WellKnownSids.SECURITY_CREATOR_SID_AUTHORITY, 4),
            "LA" => WellKnownSids.Account(WellKnownSids.DOMAIN_USER_RID_ADMIN),
            "LG" => WellKnownSids.Account(WellKnownSids.DOMAIN_USER_RID_GUEST),
            _ => null,
        };
        return sid is not null;
    }

    private static bool All(ReadOnlySpan<char> text, Func<char, bool> predicate)
    {
        foreach (var c in text)
        {
            if (!predicate(c))
            {
                return false;
            }
        }

        return true;
    }

    private static SID BuiltinAlias(uint rid) =>
        new(WellKnownSids.SECURITY_NT_AUTHORITY, WellKnownSids.SECURITY_BUILTIN_DOMAIN_RID, rid);
}
