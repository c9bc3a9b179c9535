using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Rendezvous.Channels.Benchmarks.Model;
using Rendezvous.Channels.Benchmarks.Workloads;

namespace Rendezvous.Channels.Benchmarks.Ring;

/// <summary>
/// Latency: a request channel and a reply channel, a pinger and an echoing ponger; one item is ever in
/// flight, so every read finds the ring empty and waits. One operation is one round trip.
/// </summary>
[MemoryDiagnoser]
[ThreadingDiagnoser]
public class RingPingPong
{
    private const int RoundTrips = 16384;

    private (Channel<int> Requests, Channel<int> Replies) _ours;
    private (Channel<int> Requests, Channel<int> Replies) _baseline;

    [Params(1, 16, 1024)]
    public int Capacity { get; set; }

    [GlobalSetup]
    public void CreateChannels()
    {
        _ours = (new RingBufferChannel<int>(Capacity), new RingBufferChannel<int>(Capacity));
        _baseline = (Channel.CreateBounded<int>(Capacity), Channel.CreateBounded<int>(Capacity));
    }

    [GlobalCleanup]
    public void CompleteChannels()
    {
        foreach ((Channel<int> requests, Channel<int> replies) in new[] { _ours, _baseline })
        {
            requests.Writer.TryComplete();
            replies.Writer.TryComplete();
        }
    }

    [Benchmark(OperationsPerInvoke = RoundTrips)]
    [BenchmarkCategory(RoleCategory.Ours)]
    public void RingBufferChannel() =>
        WorkloadCompletion.Wait(ChannelWorkloads.PingPongAsync(_ours.Requests, _ours.Replies, RoundTrips));

    [Benchmark(Baseline = true, OperationsPerInvoke = RoundTrips)]
    [BenchmarkCategory(RoleCategory.Bcl)]
    public void BclBounded() =>
        WorkloadCompletion.Wait(ChannelWorkloads.PingPongAsync(_baseline.Requests, _baseline.Replies, RoundTrips));
}
