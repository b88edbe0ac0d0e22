using System.Collections.Concurrent;
using static TorchSharp.torch;

namespace EmoFarm.Model.Rendering;

/// <summary>
/// One dedicated thread per device. TorchSharp's dispose scopes are thread-static and a GPU is best fed from one
/// thread, so every model call is queued here and runs under inference mode; callers await the result.
/// </summary>
public sealed class InferenceThread : IDisposable
{
    private readonly BlockingCollection<Action> _work = [];
    private readonly Thread _thread;

    public InferenceThread(string name)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    public Task<T> RunAsync<T>(Func<T> work, CancellationToken ct = default)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            if (ct.IsCancellationRequested)
            {
                done.TrySetCanceled(ct);
                return;
            }
            try
            {
                using var inference = inference_mode();
                done.TrySetResult(work());
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        }, ct);
        return done.Task;
    }

    private void Run()
    {
        foreach (var item in _work.GetConsumingEnumerable())
            item();
    }

    public void Dispose()
    {
        _work.CompleteAdding();
        _thread.Join();
        _work.Dispose();
    }
}
