using EmoFarm.Benchmarks;

// MassTransit 8.5 reports usage to usage-tracking.masstransit.io by default; these machines have no internet, and a
// benchmark has no business calling out anyway.
Environment.SetEnvironmentVariable("MASSTRANSIT_USAGE_TELEMETRY", "false");

var options = BenchArgs.Parse(args.Skip(1));
switch (args.FirstOrDefault())
{
    case "control-plane":
        await ControlPlaneBenchmark.RunAsync(options);
        return 0;
    case "soak":
        await SoakBenchmark.RunAsync(options);
        return 0;
    case InstantWorker.Mode:
        await InstantWorker.RunAsync(options);
        return 0;
    case "load":
        await LoadBenchmark.RunAsync(options);
        return 0;
    case "hostile-inputs":
        await HostileInputsBenchmark.RunAsync(options);
        return 0;
    case "fair-share":
        await FairShareBenchmark.RunAsync(options);
        return 0;
    case "frames":
        await FramesBenchmark.RunAsync(options);
        return 0;
    case "tail":
        await TailBenchmark.RunAsync(options);
        return 0;
    case "assembly":
        await AssemblyBenchmark.RunAsync(options);
        return 0;
    default:
        Console.Error.WriteLine("""
            usage: EmoFarm.Benchmarks control-plane [--segments 1000] [--workers 4] [--renders 10] [--segment-frames 16]
                                                    [--clip-frames 16] [--overlap 0] [--frame-size 8] [--gpus 1]
                   EmoFarm.Benchmarks load [--renders 1000] [--clients 50] [--workers 4] [--wait-minutes 90]
                   EmoFarm.Benchmarks soak [--kills 100] [--renders 2] [--seconds 120] [--workers 2] [--clip-ms 100]
                   EmoFarm.Benchmarks fair-share [--workers 1,2,4,8] [--service-ms 200] [--segments-per-worker 40]
                   EmoFarm.Benchmarks frames [--repeat 20]
                   EmoFarm.Benchmarks tail [--minutes 1,10] [--workers 2] [--size 512] [--segment-frames 100] [--overlap 6] [--clip-ms 1000]
                   EmoFarm.Benchmarks assembly [--minutes 1,10,60] [--size 512] [--segment-frames 100] [--overlap 6] [--repeat 3]
                   EmoFarm.Benchmarks hostile-inputs [--cases 1000] [--seed 14] [--parallel 3] [--max-audio-seconds 3600]
                                                     [--max-image-side 8192]
            """);
        return 2;
}
