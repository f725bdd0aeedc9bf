namespace SharpNT.Kernel.Cm;

/// <summary>KEY_VALUE_INFORMATION_CLASS (wdm.h): what ZwQueryValueKey and ZwEnumerateValueKey return.</summary>
public enum KEY_VALUE_INFORMATION_CLASS
{
    KeyValueBasicInformation = 0,
    KeyValueFullInformation = 1,
    KeyValuePartialInformation = 2,
    KeyValueFullInformationAlign64 = 3,
    KeyValuePartialInformationAlign64 = 4,
    KeyValueLayerInformation = 5,
}
