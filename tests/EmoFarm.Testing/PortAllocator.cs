using System.Net;
using System.Net.Sockets;

namespace EmoFarm.Testing;

/// <summary>Finds free loopback TCP ports for services started by tests.</summary>
public static class PortAllocator
{
    private static readonly HashSet<int> Handed = [];
    private static readonly Lock Gate = new();

    /// <summary>
    /// Binds port 0, reads the port the kernel chose and releases it. The kernel may hand the same port out again
    /// before the service binds it, so ports given out by this process are never repeated.
    /// </summary>
    public static int GetFreePort()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
            lock (Gate)
            {
                if (Handed.Add(port))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException("No free loopback port found after 50 attempts.");
    }
}
