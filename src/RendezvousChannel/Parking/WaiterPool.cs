// WaiterPool<T>: idle waiters kept for reuse (one per thread, then a small per-channel array), so parking allocates nothing.

using System;
using System.Diagnostics;
using System.Threading;

namespace Rendezvous.Channels.Parking;

/// <summary>
/// Idle <see cref="Waiter{T}"/>s for reuse: one per thread, with no atomic operation at all, then a small
/// per-channel array. Lock-free and ABA-free: an array slot is taken by
/// <see cref="Interlocked.Exchange{T}(ref T, T)"/> and filled by a CAS from null, so no slot is ever
/// read-then-written. An idle waiter references nothing but its pool, so neither level keeps a channel alive:
/// an abandoned channel and its parked waiters stay collectable.
/// </summary>
internal sealed class WaiterPool<T>
{
    /// <summary>
    /// This thread's idle waiter, if any. Shared by every channel of <typeparamref name="T"/>: an idle waiter
    /// belongs to no channel, and versioned tokens make any stale reference to it harmless.
    /// </summary>
    [ThreadStatic]
    private static Waiter<T>? t_idle;

    /// <summary>Idle waiters; a non-null slot holds a waiter that nobody else references as live.</summary>
    private readonly Waiter<T>?[] _slots = new Waiter<T>?[Math.Clamp(Environment.ProcessorCount * 2, 4, 16)];

    /// <summary>Takes an idle waiter, or makes one when none is idle (the only allocation, at warm-up).</summary>
    public Waiter<T> Rent()
    {
        Waiter<T>? waiter = t_idle;
        if (waiter is not null)
        {
            t_idle = null;
            return waiter;
        }

        Waiter<T>?[] slots = _slots;
        for (int i = 0; i < slots.Length; i++)
        {
            // Look before taking, so that empty slots cost a read, not an atomic write to a shared line.
            if (Volatile.Read(ref slots[i]) is not null)
            {
                // Claim the slot's waiter: the exchange makes this thread its only owner.
                waiter = Interlocked.Exchange(ref slots[i], null);
                if (waiter is not null)
                {
                    return waiter;
                }
            }
        }

        return new Waiter<T>(this);
    }

    /// <summary>Gives an idle waiter back; if every place is taken it is left to the GC.</summary>
    public void Return(Waiter<T> waiter)
    {
        Debug.Assert(waiter is not null);
        if (t_idle is null)
        {
            t_idle = waiter;
            return;
        }

        Waiter<T>?[] slots = _slots;
        for (int i = 0; i < slots.Length; i++)
        {
            // Publish the idle waiter into an empty slot; the CAS is a release of its reset fields.
            if (Volatile.Read(ref slots[i]) is null && Interlocked.CompareExchange(ref slots[i], waiter, null) is null)
            {
                return;
            }
        }
    }
}
