namespace SharpNT.Kernel.Cm;

/// <summary>KEY_INFORMATION_CLASS (wdm.h): what ZwQueryKey and ZwEnumerateKey return.</summary>
public enum KEY_INFORMATION_CLASS
{
    KeyBasicInformation = 0,
    KeyNodeInformation = 1,
    KeyFullInformation = 2,
    KeyNameInformation = 3,
    KeyCachedInformation = 4,
    KeyFlagsInformation = 5,
    KeyVirtualizationInformation = 6,
    KeyHandleTagsInformation = 7,
    KeyTrustInformation = 8,
    KeyLayerInformation = 9,
}
