using System.Globalization;

namespace EmoFarm.Testing;

/// <summary>
/// Config files for a one-node Swift: every server runs one process (workers = 0, so we hold its PID), as the current user,
/// with its own swift_dir, and storage on plain folders.
/// </summary>
internal static class SwiftConfigFiles
{
    // The middleware order of Swift's sample proxy-server.conf, trimmed to what S3 clients touch. tempauth needs
    // the cache filter (and memcached) even for S3 requests: without it every S3 call fails with 500.
    private const string Pipeline =
        "catch_errors gatekeeper healthcheck proxy-logging cache listing_formats bulk s3api tempauth copy slo dlo " +
        "versioned_writes symlink proxy-logging proxy-server";

    private static readonly string[] SimpleFilters =
    [
        "catch_errors", "gatekeeper", "healthcheck", "proxy-logging", "listing_formats", "bulk", "copy", "slo", "dlo",
        "versioned_writes", "symlink",
    ];

    public static string Proxy(string swiftDir, int port, int memcachedPort, string accessKey, string secretKey, string region)
    {
        var user = accessKey.Replace(':', '_');
        var filters = string.Join('\n', SimpleFilters.Select(f => $"[filter:{f}]\nuse = egg:swift#{f.Replace('-', '_')}\n"));
        return string.Create(CultureInfo.InvariantCulture, $"""
            {Defaults(swiftDir, port)}
            [pipeline:main]
            pipeline = {Pipeline}

            [app:proxy-server]
            use = egg:swift#proxy
            account_autocreate = true

            [filter:s3api]
            use = egg:swift#s3api
            location = {region}

            [filter:tempauth]
            use = egg:swift#tempauth
            user_{user} = {secretKey} .admin

            [filter:cache]
            use = egg:swift#memcache
            memcache_servers = 127.0.0.1:{memcachedPort}

            {filters}
            """);
    }

    /// <summary>Config for the object, container or account server.</summary>
    public static string Storage(string kind, string swiftDir, int port, string devices) =>
        string.Create(CultureInfo.InvariantCulture, $"""
            {Defaults(swiftDir, port)}devices = {devices}
            mount_check = false
            disable_fallocate = true

            [pipeline:main]
            pipeline = {kind}-server

            [app:{kind}-server]
            use = egg:swift#{kind}

            """);

    /// <summary>A Python script that builds the three one-device rings in a single interpreter start.</summary>
    public static string RingScript(string swiftDir, int objectPort, int containerPort, int accountPort) =>
        string.Create(CultureInfo.InvariantCulture, $$"""
            import os
            from swift.common.ring import RingBuilder
            for kind, port in (("object", {{objectPort}}), ("container", {{containerPort}}), ("account", {{accountPort}})):
                builder = RingBuilder(10, 1, 1)
                builder.add_dev({"region": 1, "zone": 1, "ip": "127.0.0.1", "port": port, "device": "d1", "weight": 100})
                builder.rebalance()
                builder.save(os.path.join("{{swiftDir}}", kind + ".builder"))
                builder.get_ring().save(os.path.join("{{swiftDir}}", kind + ".ring.gz"))
            """);

    private static string Defaults(string swiftDir, int port) =>
        string.Create(CultureInfo.InvariantCulture, $"""
            [DEFAULT]
            bind_ip = 127.0.0.1
            bind_port = {port}
            workers = 0
            user = {Environment.UserName}
            swift_dir = {swiftDir}
            log_level = WARNING

            """);
}
