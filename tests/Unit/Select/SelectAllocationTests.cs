// SelectAllocationTests: a reused selector allocates nothing per select in steady state, cancelable token included.

using System.Threading.Channels;

namespace Rendezvous.Channels.Tests.Unit.Selection;

/// <summary>
/// Bytes allocated per selected item, measured as the other allocation tests measure (AllocationMeter): a consumer
/// selecting over two channels fed by plain producers, with a cancelable (never canceled) token, both channel kinds.
/// </summary>
[Collection(AllocationCollection.Name)]
public class SelectAllocationTests(ITestOutputHelper output)
{
    public static TheoryData<string> Kinds => new() { "rendezvous", "ring(1)", "ring(1024)" };

    private static Channel<int> Create(string kind) => kind switch
    {
        "rendezvous" => new RendezvousChannel<int>(),
        "ring(1)" => new RingBufferChannel<int>(1),
        _ => new RingBufferChannel<int>(1024),
    };

    private static Task Produce(ChannelWriter<int> writer, int n, CancellationToken token) => Task.Run(async () =>
    {
        for (int i = 0; i < n; i++)
        {
            await writer.WriteAsync(i, token);
        }
    }, CancellationToken.None);

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task SelectAsync_over_two_channels_allocates_nothing_per_item(string kind)
    {
        Channel<int> a = Create(kind);
        Channel<int> b = Create(kind);
        var selector = new ChannelSelector();
        SelectReadClause<int> readA = selector.AddRead(a.Reader);
        SelectReadClause<int> readB = selector.AddRead(b.Reader);
        using var cts = new CancellationTokenSource(); // never canceled
        await AllocationMeter.AssertAllocationFree(
            $"SelectAsync over 2 x {kind}, cancelable token",
            async n =>
            {
                int half = n / 2;
                Task producers = Task.WhenAll(Produce(a.Writer, half, cts.Token), Produce(b.Writer, n - half, cts.Token));
                long sum = 0;
                for (int i = 0; i < n; i++)
                {
                    SelectResult result = await selector.SelectAsync(cts.Token);
                    sum += result.Is(readA) ? readA.Item : readB.Item;
                }

                await producers;
                Assert.True(sum > 0);
            },
            output);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_select_writer_against_a_plain_reader_allocates_nothing_per_item(string kind)
    {
        Channel<int> a = Create(kind);
        Channel<int> b = Create(kind);
        var selector = new ChannelSelector();
        SelectWriteClause<int> writeA = selector.AddWrite(a.Writer);
        SelectWriteClause<int> writeB = selector.AddWrite(b.Writer);
        using var cts = new CancellationTokenSource(); // never canceled
        await AllocationMeter.AssertAllocationFree(
            $"SelectAsync writing to 2 x {kind}, cancelable token",
            async n =>
            {
                int counted = 0;
                Task consumers = Task.WhenAll(Consume(a.Reader), Consume(b.Reader));
                for (int i = 0; i < n; i++)
                {
                    writeA.Item = i;
                    writeB.Item = i;
                    await selector.SelectAsync(cts.Token);
                }

                // Stop the consumers with one sentinel each.
                writeA.Item = -1;
                writeB.IsEnabled = false;
                await selector.SelectAsync(cts.Token);
                writeB.IsEnabled = true;
                writeA.IsEnabled = false;
                writeB.Item = -1;
                await selector.SelectAsync(cts.Token);
                writeA.IsEnabled = true;
                await consumers;
                Assert.Equal(n, Volatile.Read(ref counted));

                Task Consume(ChannelReader<int> reader) => Task.Run(async () =>
                {
                    while (await reader.ReadAsync(cts.Token) >= 0)
                    {
                        Interlocked.Increment(ref counted);
                    }
                }, CancellationToken.None);
            },
            output);
    }

    [Fact]
    public async Task ReadAnySelector_ReadAsync_allocates_nothing_per_item()
    {
        var a = new RendezvousChannel<int>();
        var b = new RendezvousChannel<int>();
        var any = new ReadAnySelector<int>([a.Reader, b.Reader]);
        using var cts = new CancellationTokenSource(); // never canceled
        await AllocationMeter.AssertAllocationFree(
            "ReadAnySelector.ReadAsync over 2 x rendezvous, cancelable token",
            async n =>
            {
                int half = n / 2;
                Task producers = Task.WhenAll(Produce(a.Writer, half, cts.Token), Produce(b.Writer, n - half, cts.Token));
                for (int i = 0; i < n; i++)
                {
                    _ = await any.ReadAsync(cts.Token);
                }

                await producers;
            },
            output);
    }
}
