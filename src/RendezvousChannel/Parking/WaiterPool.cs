// WaiterPool<T>: one channel's idle waiters kept for reuse (this thread's last one, then a small array), so parking allocates nothing.

using System;
using System.Diagnostics;
using System.Threading;

namespace Rendezvous.Channels.Parking;

/// <summary>
/// One channel's idle <see cref="Waiter{T}"/>s for reuse: the one this thread returned last, with no atomic operation
/// at all, then a small per-channel array. Lock-free and ABA-free: an array slot is taken by
/// <see cref="Interlocked.Exchange{T}(ref T, T)"/> and filled by a CAS from null, so no slot is ever
/// read-then-written. An idle waiter references nothing but its pool, so neither level keeps a channel alive:
/// an abandoned channel and its parked waiters stay collectable.
/// </summary>
/// <remarks>
/// A waiter serves one pool, hence one channel, for its whole life: it is made by its pool and only ever rented from
/// it. That is what keeps a stale <see cref="System.Threading.Tasks.ValueTask"/> harmless across channels: its token
/// is 16 bits of its waiter's version, so a waiter reused 65,536 times hands out the same token again, and a waiter
/// shared between channels would let channel A's consumed ValueTask, awaited again, observe or take an operation of
/// channel B (and B's real awaiter then fail). Kept to its channel, the waiter can wrap only within that channel,
/// after 65,535 of its own uses in between, as a pooled BCL operation does.
/// </remarks>
internal sealed class WaiterPool<T>
{
    /// <summary>
    /// This thread's idle waiter, if any: the last one returned on this thread, whichever pool it belongs to (the
    /// field is shared by every pool of <typeparamref name="T"/>). Only its own pool takes it; another pool that
    /// returns a waiter here sends it back to its own pool's array, so the thread's fast path follows the channel it
    /// used last, and a channel used once does not hold it for good.
    /// </summary>
    [ThreadStatic]
    private static Waiter<T>? t_idle;

    /// <summary>Idle waiters; a non-null slot holds a waiter that nobody else references as live.</summary>
    private readonly Waiter<T>?[] _slots = new Waiter<T>?[Math.Clamp(Environment.ProcessorCount * 2, 4, 16)];

    /// <summary>Takes an idle waiter, or makes one when none is idle (the only allocation, at warm-up).</summary>
    public Waiter<T> Rent()
    {
        Waiter<T>? waiter = t_idle;
        if (waiter is not null && waiter.Pool == this)
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

    /// <summary>Gives back an idle waiter of this pool; if every place is taken it is left to the GC.</summary>
    public void Return(Waiter<T> waiter)
    {
        Debug.Assert(waiter is not null && waiter.Pool == this, "A waiter returns to the pool that made it.");
        Waiter<T>? idle = t_idle;
        if (idle is null)
        {
            t_idle = waiter;
            return;
        }

        if (idle.Pool != this)
        {
            // This thread has moved on to our channel: keep our waiter at hand, and send the other channel's back
            // to its own pool (never to ours: a waiter must not migrate, see the class remarks).
            t_idle = waiter;
            idle.Pool.ReturnToArray(idle);
            return;
        }

        ReturnToArray(waiter);
    }

    /// <summary>Puts an idle waiter of this pool into the shared array; if it is full, leaves it to the GC.</summary>
    private void ReturnToArray(Waiter<T> waiter)
    {
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
