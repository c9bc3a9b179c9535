using System;
using System.Diagnostics;
using System.Threading;

namespace RendezvousChannel.Internal;

/// <summary>
/// A small per-channel cache of idle <see cref="Waiter{T}"/>s. Lock-free and ABA-free: a slot is taken by
/// <see cref="Interlocked.Exchange{T}(ref T, T)"/> and filled by a CAS from null, so no slot is ever
/// read-then-written. Per channel, not static, so that an abandoned channel and its waiters are collectable.
/// </summary>
internal sealed class WaiterPool<T>
{
    /// <summary>Idle waiters; a non-null slot holds a waiter that nobody else references as live.</summary>
    private readonly Waiter<T>?[] _slots = new Waiter<T>?[Math.Clamp(Environment.ProcessorCount * 2, 4, 16)];

    /// <summary>Takes an idle waiter, or makes one when all are in use (the only allocation, at warm-up).</summary>
    public Waiter<T> Rent()
    {
        Waiter<T>?[] slots = _slots;
        for (int i = 0; i < slots.Length; i++)
        {
            // Claim the slot's waiter: the exchange makes this thread its only owner.
            Waiter<T>? waiter = Interlocked.Exchange(ref slots[i], null);
            if (waiter is not null)
            {
                return waiter;
            }
        }

        return new Waiter<T>(this);
    }

    /// <summary>Gives an idle waiter back; if the pool is full it is left to the GC.</summary>
    public void Return(Waiter<T> waiter)
    {
        Debug.Assert(waiter is not null);
        Waiter<T>?[] slots = _slots;
        for (int i = 0; i < slots.Length; i++)
        {
            // Publish the idle waiter into an empty slot; the CAS is a release of its reset fields.
            if (Interlocked.CompareExchange(ref slots[i], waiter, null) is null)
            {
                return;
            }
        }
    }
}
