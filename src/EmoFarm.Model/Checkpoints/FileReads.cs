using Microsoft.Win32.SafeHandles;

namespace EmoFarm.Model.Checkpoints;

internal static class FileReads
{
    public static void ReadExactly(SafeFileHandle handle, long offset, Span<byte> destination, string path)
    {
        while (!destination.IsEmpty)
        {
            var read = RandomAccess.Read(handle, destination, offset);
            if (read == 0)
            {
                throw new EndOfStreamException($"{path}: unexpected end of file at byte {offset}.");
            }

            destination = destination[read..];
            offset += read;
        }
    }
}
