namespace Rendezvous.Channels.Tests.Unit.Contract;

/// <summary>
/// A channel the contract scenarios run against, and how to make a fresh one: one of ours, or the BCL's
/// <c>Channel.CreateBounded</c> of the same capacity (Wait mode), the reference the same assertions must hold for.
/// </summary>
public sealed class ChannelFactory
{
    private ChannelFactory(string name, int capacity, bool isReference, ContinuationMode mode = ContinuationMode.ThreadPool)
    {
        Name = name;
        Capacity = capacity;
        IsReference = isReference;
        Mode = mode;
    }

    /// <summary>Where our channel runs woken continuations (the BCL rows ignore it).</summary>
    public ContinuationMode Mode { get; }

    /// <summary>The row's name in test results: <c>Rendezvous</c>, <c>Ring(3)</c>, <c>Bcl(0)</c>, ...</summary>
    public string Name { get; }

    /// <summary>How many items the channel holds with nobody waiting: 0 for a rendezvous channel.</summary>
    public int Capacity { get; }

    /// <summary>
    /// The BCL's bounded channel, not ours. A scenario that had to branch on this would mark a documented refinement
    /// of ours and say so at the branch; none does today: every single-threaded assertion holds for both.
    /// </summary>
    public bool IsReference { get; }

    /// <summary>
    /// No buffer: an item passes only from a writer to a reader that is there at the same time. Try operations
    /// succeed only against a partner parked in ReadAsync/WriteAsync, and WaitTo callers wait for such a partner,
    /// so two sides that use only Try and WaitTo never meet (documented, as with the BCL's CreateBounded(0)).
    /// </summary>
    public bool IsUnbuffered => Capacity == 0;

    public static ChannelFactory Rendezvous { get; } = new("Rendezvous", 0, isReference: false);

    public static ChannelFactory Ring(int capacity) => new($"Ring({capacity})", capacity, isReference: false);

    /// <summary>Ours in <see cref="ContinuationMode.Chained"/> mode: the same contract, with continuations chained.</summary>
    public static ChannelFactory RendezvousChained { get; } = new("Rendezvous(Chained)", 0, isReference: false, ContinuationMode.Chained);

    /// <inheritdoc cref="RendezvousChained"/>
    public static ChannelFactory RingChained(int capacity) => new($"Ring({capacity}, Chained)", capacity, isReference: false, ContinuationMode.Chained);

    public static ChannelFactory Bcl(int capacity) => new($"Bcl({capacity})", capacity, isReference: true);

    public Channel<T> Create<T>() => (IsReference, Capacity) switch
    {
        (true, _) => Channel.CreateBounded<T>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait }),
        (false, 0) => new RendezvousChannel<T>(new RendezvousChannelOptions { ContinuationMode = Mode }),
        (false, _) => new RingBufferChannel<T>(new RingBufferChannelOptions(Capacity) { ContinuationMode = Mode }),
    };

    /// <summary>
    /// Asserts the reader's Count: <paramref name="expected"/>, the items a buffer would hold at this point of the
    /// scenario, on a buffered channel; always 0 on an unbuffered one, which counts too but holds nothing (parked
    /// writers' items are not counted, as with the BCL's CreateBounded(0); see UnbufferedCountAndPeekContractTests).
    /// </summary>
    public void AssertCount<T>(ChannelReader<T> reader, int expected) => Assert.Equal(IsUnbuffered ? 0 : expected, reader.Count);

    public override string ToString() => Name;
}
