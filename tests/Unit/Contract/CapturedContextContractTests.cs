using System.Runtime.CompilerServices;

namespace Rendezvous.Channels.Tests.Unit.Contract;

/// <summary>
/// Where a continuation that asked for its contexts runs, on every channel: an awaiter that registers with
/// <c>OnCompleted</c> (which asks for the ExecutionContext to flow) while a SynchronizationContext or a TaskScheduler
/// is current gets its continuation posted there, and it runs under the ExecutionContext captured at registration,
/// never the waker's, as ManualResetValueTaskSourceCore and the BCL's channels do.
/// </summary>
public class CapturedContextContractTests
{
    private const int Rounds = 10;

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task A_continuation_posted_to_a_captured_SynchronizationContext_runs_in_the_readers_ExecutionContext(string channel)
    {
        for (int round = 0; round < Rounds; round++)
        {
            var context = new CountingSynchronizationContext();
            (string? seen, int item) = await ReadWhileCurrent(
                channel,
                register => Task.Run(() =>
                {
                    SynchronizationContext.SetSynchronizationContext(context);
                    try
                    {
                        register();
                    }
                    finally
                    {
                        SynchronizationContext.SetSynchronizationContext(null);
                    }
                }));

            Assert.True(context.Posts > 0, "The continuation was not posted to the captured SynchronizationContext: the scenario did not happen.");
            Assert.Equal("reader", seen);
            Assert.Equal(1, item);
        }
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task A_continuation_queued_to_a_captured_TaskScheduler_runs_in_the_readers_ExecutionContext(string channel)
    {
        for (int round = 0; round < Rounds; round++)
        {
            var scheduler = new CountingTaskScheduler();
            (string? seen, int item) = await ReadWhileCurrent(
                channel,
                register => Task.Factory.StartNew(register, CancellationToken.None, TaskCreationOptions.DenyChildAttach, scheduler));

            // The registering task itself went through the scheduler once; the continuation must have too.
            Assert.True(scheduler.Queued > 1, "The continuation was not queued to the captured TaskScheduler: the scenario did not happen.");
            Assert.Equal("reader", seen);
            Assert.Equal(1, item);
        }
    }

    /// <summary>
    /// Parks a read whose awaiter registers (inside <paramref name="runWithContextCurrent"/>, with an AsyncLocal set to
    /// "reader") with <c>OnCompleted</c>; then a writer whose AsyncLocal says "writer" wakes it. Returns what the
    /// continuation saw of the AsyncLocal, and the item it read.
    /// </summary>
    private static async Task<(string? Seen, int Item)> ReadWhileCurrent(string channel, Func<Action, Task> runWithContextCurrent)
    {
        Channel<int> c = ChannelsUnderTest.Named(channel).Create<int>();
        var flowed = new AsyncLocal<string?>();
        var observed = new TaskCompletionSource<(string?, int)>(TaskCreationOptions.RunContinuationsAsynchronously);

        await Eventually.Completes(runWithContextCurrent(() =>
        {
            flowed.Value = "reader";
            ValueTask<int> read = c.Reader.ReadAsync();
            Assert.False(read.IsCompleted, "The read parks on an empty channel.");
            ValueTaskAwaiter<int> awaiter = read.GetAwaiter();
            // OnCompleted, not UnsafeOnCompleted: the awaiter asks for its ExecutionContext to flow.
            awaiter.OnCompleted(() =>
            {
                try
                {
                    observed.TrySetResult((flowed.Value, awaiter.GetResult()));
                }
                catch (Exception e)
                {
                    observed.TrySetException(e);
                }
            });
        }), "registering the continuation");

        await Eventually.Completes(Task.Run(async () =>
        {
            flowed.Value = "writer";
            await c.Writer.WriteAsync(1);
        }), "the waking write");

        (string?, int) result = await Eventually.Completes(observed.Task, "the read's continuation");
        c.Writer.Complete();
        return result;
    }

    /// <summary>Posts to the thread pool, flowing the poster's ExecutionContext (as QueueUserWorkItem does); counts posts.</summary>
    private sealed class CountingSynchronizationContext : SynchronizationContext
    {
        private int _posts;

        public int Posts => Volatile.Read(ref _posts);

        public override void Post(SendOrPostCallback d, object? state)
        {
            Interlocked.Increment(ref _posts);
            ThreadPool.QueueUserWorkItem(_ => d(state));
        }

        public override SynchronizationContext CreateCopy() => this;
    }

    /// <summary>Runs each task on the thread pool; counts queued tasks.</summary>
    private sealed class CountingTaskScheduler : TaskScheduler
    {
        private int _queued;

        public int Queued => Volatile.Read(ref _queued);

        protected override void QueueTask(Task task)
        {
            Interlocked.Increment(ref _queued);
            ThreadPool.QueueUserWorkItem(_ => TryExecuteTask(task));
        }

        protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

        protected override IEnumerable<Task>? GetScheduledTasks() => null;
    }
}
