extern alias Controlled;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using ControlledPool = Controlled::Rendezvous.Channels.Parking.WaiterPool<int>;
using ControlledWaiter = Controlled::Rendezvous.Channels.Parking.Waiter<int>;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// The shared level of the waiter pool, raced directly: three idle waiters sit in a pool's slots, and three
/// threads, whose own idle place (the per-thread level) is taken, each rent one and give it back, twice.
/// Returns race for the same empty slot. Idle waiters are the pool's items: none may be lost (a return that
/// overwrote another's would drop a waiter, and the next rent would allocate one), none may sit in two slots,
/// and with as many idle waiters as renters the pool never allocates. At the end the slots hold exactly the
/// three waiters they started with.
/// </summary>
/// <remarks>
/// The per-thread level is taken out of play, since it is no shared state: a thread's idle place is set before
/// each call, by reflection (the field is found by its type, not its name), to what the call must see.
/// </remarks>
internal static class PoolReturnsRace
{
    private const int Threads = 3;
    private const int Rounds = 2;

    private static readonly FieldInfo? s_threadIdle = typeof(ControlledPool)
        .GetFields(BindingFlags.NonPublic | BindingFlags.Static)
        .SingleOrDefault(field => field.FieldType == typeof(ControlledWaiter) && field.IsDefined(typeof(ThreadStaticAttribute)));

    private static readonly FieldInfo s_slots = typeof(ControlledPool)
        .GetFields(BindingFlags.NonPublic | BindingFlags.Instance)
        .Single(field => field.FieldType == typeof(ControlledWaiter[]));

    public static async Task RunAsync()
    {
        var pool = new ControlledPool();
        ControlledWaiter[] seeded = [.. Enumerable.Range(0, Threads).Select(_ => new ControlledWaiter(pool))];
        ControlledWaiter[] ownIdle = [.. Enumerable.Range(0, Threads + 1).Select(_ => new ControlledWaiter(pool))];
        SetThreadIdle(ownIdle[Threads]);
        foreach (ControlledWaiter waiter in seeded)
        {
            pool.Return(waiter);
        }

        SetThreadIdle(null);
        Oracle.Holds(IdleInSlots(pool).Count == Threads, "Seeding the pool's slots did not leave the seeded waiters in them.");

        var rented = new ControlledWaiter[Threads][];
        Task[] threads = [.. Enumerable.Range(0, Threads).Select(t => Task.Run(() => rented[t] = RentAndReturn(pool, ownIdle[t])))];
        await Participants.AllAsync(threads);

        ControlledWaiter[] allocated = [.. rented.SelectMany(waiters => waiters).Where(waiter => !seeded.Contains(waiter)).Distinct()];
        Oracle.Holds(allocated.Length == 0, $"The pool allocated {allocated.Length} waiter(s) although {Threads} idle ones served {Threads} renters: a return was lost.");
        List<ControlledWaiter> idle = IdleInSlots(pool);
        Oracle.Holds(
            idle.Count == Threads && idle.Distinct().Count() == Threads && idle.All(seeded.Contains),
            $"The slots hold {idle.Count} waiter(s), {idle.Distinct().Count()} distinct, {idle.Count(seeded.Contains)} of the {Threads} seeded: a return was lost or stored twice.");
    }

    /// <summary>One thread: rents and returns <see cref="Rounds"/> times, its own idle place empty to rent and taken to return.</summary>
    private static ControlledWaiter[] RentAndReturn(ControlledPool pool, ControlledWaiter ownIdle)
    {
        var rented = new ControlledWaiter[Rounds];
        for (int round = 0; round < Rounds; round++)
        {
            // Synchronous throughout, so the thread-static stays this task's: Coyote pauses it in place.
            SetThreadIdle(null);
            rented[round] = pool.Rent();
            SetThreadIdle(ownIdle);
            pool.Return(rented[round]);
        }

        SetThreadIdle(null);
        return rented;
    }

    private static void SetThreadIdle(ControlledWaiter? waiter) => s_threadIdle?.SetValue(null, waiter);

    private static List<ControlledWaiter> IdleInSlots(ControlledPool pool) =>
        [.. ((ControlledWaiter?[])s_slots.GetValue(pool)!).OfType<ControlledWaiter>()];
}
