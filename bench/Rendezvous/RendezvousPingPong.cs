using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Rendezvous.Channels.Benchmarks.Model;
using Rendezvous.Channels.Benchmarks.Workloads;

namespace Rendezvous.Channels.Benchmarks.Rendezvous;

/// <summary>
/// Latency: a request channel and a reply channel, a pinger and an echoing ponger. One operation is one round
/// trip, i.e. two hand-offs and two thread-pool wake-ups.
/// </summary>
[MemoryDiagnoser]
[ThreadingDiagnoser]
public class RendezvousPingPong
{
    private const int RoundTrips = 16384;

    private (Channel<int> Requests, Channel<int> Replies) _ours;
    private (Channel<int> Requests, Channel<int> Replies) _baseline;
    private (Channel<int> Requests, Channel<int> Replies) _unbounded;

    [GlobalSetup]
    public void CreateChannels()
    {
        _ours = (new RendezvousChannel<int>(), new RendezvousChannel<int>());
        _baseline = (Channel.CreateBounded<int>(0), Channel.CreateBounded<int>(0));
        _unbounded = (Channel.CreateUnbounded<int>(), Channel.CreateUnbounded<int>());
    }

    [GlobalCleanup]
    public void CompleteChannels()
    {
        foreach ((Channel<int> requests, Channel<int> replies) in new[] { _ours, _baseline, _unbounded })
        {
            requests.Writer.TryComplete();
            replies.Writer.TryComplete();
        }
    }

    [Benchmark(OperationsPerInvoke = RoundTrips)]
    [BenchmarkCategory(RoleCategory.Ours)]
    public void RendezvousChannel() =>
        WorkloadCompletion.Wait(ChannelWorkloads.PingPongAsync(_ours.Requests, _ours.Replies, RoundTrips));

    [Benchmark(Baseline = true, OperationsPerInvoke = RoundTrips)]
    [BenchmarkCategory(RoleCategory.Bcl)]
    public void BclBounded0() =>
        WorkloadCompletion.Wait(ChannelWorkloads.PingPongAsync(_baseline.Requests, _baseline.Replies, RoundTrips));

    [Benchmark(OperationsPerInvoke = RoundTrips)]
    [BenchmarkCategory(RoleCategory.Bcl)]
    public void BclUnbounded() =>
        WorkloadCompletion.Wait(ChannelWorkloads.PingPongAsync(_unbounded.Requests, _unbounded.Replies, RoundTrips));
}
