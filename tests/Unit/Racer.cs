namespace Rendezvous.Channels.Tests.Unit;

/// <summary>
/// Runs one action on a dedicated thread against one on the caller's thread, both released at the same moment
/// (a handshake: the caller starts only once the racer has picked up the round), each after its own spin delay.
/// The delays adapt round by round (doubling or halving) so that each side wins a good share of the races,
/// whatever the machine's speed and load: a race that one side always won would test nothing.
/// </summary>
internal sealed class Racer : IDisposable
{
    private const int MaxDelay = 1 << 16;
    private readonly Thread _thread;
    private readonly Random _random = new(1);
    private Action _action = static () => { };
    private int _racerDelay;
    private int _round;
    private int _doneRound;
    private int _readyRound;
    private volatile bool _stop;
    private Exception? _failure;

    /// <summary>Extra spins before the racer's action and before the caller's (at most one is non-zero).</summary>
    private int _racerHandicap;
    private int _callerHandicap;

    public Racer()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "racer" };
        _thread.Start();
    }

    public int RacerWins { get; private set; }

    public int CallerWins { get; private set; }

    /// <summary>
    /// Races <paramref name="racerAction"/> (on the racer thread) against <paramref name="callerAction"/> (here),
    /// waits for both, and returns the caller's result. <paramref name="racerWon"/> tells, afterwards, which
    /// side's effect prevailed; it feeds the delay adaptation.
    /// </summary>
    public T Race<T>(Action racerAction, Func<T> callerAction, Func<T, bool> racerWon)
    {
        _racerDelay = Jitter(_racerHandicap);
        int callerDelay = Jitter(_callerHandicap);
        _action = racerAction;
        int round = Interlocked.Increment(ref _round);
        // Wait until the racer has picked up the round, so that both sides really run at the same time.
        WaitFor(ref _readyRound, round);
        Thread.SpinWait(callerDelay);
        T result = callerAction();
        WaitFor(ref _doneRound, round);
        if (_failure is Exception failure)
        {
            throw new InvalidOperationException("The racer's action failed.", failure);
        }

        if (racerWon(result))
        {
            RacerWins++;
            // Let the caller get ahead next time.
            if (_callerHandicap > 0)
            {
                _callerHandicap /= 2;
            }
            else
            {
                _racerHandicap = Math.Min((_racerHandicap * 2) + 1, MaxDelay);
            }
        }
        else
        {
            CallerWins++;
            if (_racerHandicap > 0)
            {
                _racerHandicap /= 2;
            }
            else
            {
                _callerHandicap = Math.Min((_callerHandicap * 2) + 1, MaxDelay);
            }
        }

        return result;
    }

    private int Jitter(int handicap) => _random.Next(0, 16) + (handicap == 0 ? 0 : _random.Next(handicap / 2, (handicap * 3 / 2) + 1));

    /// <summary>
    /// Spins hot for a while (yielding would lose the processor on a loaded machine), then politely; fails
    /// instead of hanging after <see cref="Eventually.HangTimeout"/>.
    /// </summary>
    private static void WaitFor(ref int field, int value)
    {
        for (int i = 0; i < 10_000 && Volatile.Read(ref field) != value; i++)
        {
            Thread.SpinWait(4);
        }

        var deadline = System.Diagnostics.Stopwatch.StartNew();
        var spinner = default(SpinWait);
        while (Volatile.Read(ref field) != value)
        {
            Assert.True(deadline.Elapsed < Eventually.HangTimeout, "the racer thread stopped answering");
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    private void Loop()
    {
        int seen = 0;
        while (!_stop)
        {
            int round = Volatile.Read(ref _round);
            if (round == seen)
            {
                for (int i = 0; i < 10_000 && !_stop && Volatile.Read(ref _round) == seen; i++)
                {
                    Thread.SpinWait(4);
                }

                if (Volatile.Read(ref _round) == seen)
                {
                    Thread.Yield();
                }

                continue;
            }

            seen = round;
            Volatile.Write(ref _readyRound, round);
            Thread.SpinWait(_racerDelay);
            try
            {
                _action();
            }
            catch (Exception ex)
            {
                _failure = ex;
            }

            Volatile.Write(ref _doneRound, round);
        }
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }

    /// <summary>
    /// Runs up to <paramref name="maxRounds"/> rounds of <paramref name="round"/> on a dedicated thread (the racer
    /// spins, so it must not hold a thread-pool thread), cut short after <see cref="ChannelTestSupport.RoundsBudget"/>
    /// on a heavily loaded machine; returns how many rounds ran and how many each side won.
    /// </summary>
    public static Task<(int Rounds, int CallerWins, int RacerWins)> RunRounds(int maxRounds, Action<int, Racer> round)
    {
        var done = new TaskCompletionSource<(int, int, int)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                using var racer = new Racer();
                var budget = System.Diagnostics.Stopwatch.StartNew();
                int r = 0;
                for (; r < maxRounds && (r < 300 || budget.Elapsed < ChannelTestSupport.RoundsBudget); r++)
                {
                    round(r, racer);
                }

                done.SetResult((r, racer.CallerWins, racer.RacerWins));
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        { IsBackground = true, Name = "racer rounds" };
        thread.Start();
        return done.Task;
    }
}
