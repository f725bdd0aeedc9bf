namespace SharpNT.Drivers.Tests.Fastfat;

/// <summary>Populated images of each FAT type, made once for the fuzz tests.</summary>
public sealed class FatFuzzImages
{
    private readonly Dictionary<int, byte[]> _images = [];

    public FatFuzzImages()
    {
        foreach (var bits in new[] { 12, 16, 32 })
        {
            using var image = bits switch
            {
                12 => FatImage.Create(12, 512),
                16 => FatImage.Create(16, 4200),
                _ => FatImage.Create(32, 34 * 1024),
            };
            var host = image.Scratch("host");
            Directory.CreateDirectory(Path.Combine(host, "Some Directory", "inner"));
            File.WriteAllBytes(Path.Combine(host, "Some Directory", "inner", "deep file.bin"), FatTestVolume.Pattern(3000, 1));
            File.WriteAllBytes(Path.Combine(host, "A long file name.txt"), FatTestVolume.Pattern(1500, 2));
            File.WriteAllText(Path.Combine(host, "short.txt"), "short");
            foreach (var entry in Directory.EnumerateFileSystemEntries(host))
            {
                FatTools.Run("mcopy", "-s", "-i", image.Path, entry, "::/");
            }

            _images[bits] = File.ReadAllBytes(image.Path);
        }
    }

    public byte[] Image(int bits) => _images[bits];
}
