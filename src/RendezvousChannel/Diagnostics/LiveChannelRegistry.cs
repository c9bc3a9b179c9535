// LiveChannelRegistry: the channels that metrics or leak detection registered and that are still alive, held by
// weak reference, for the metrics, the snapshot of blocked channels and the stuck-operation watchdog.
//
// The list is a Treiber stack (R. K. Treiber, "Systems Programming: Coping with Parallelism", IBM RJ 5118, 1986)
// for registration, with one sweeper at a time unlinking entries behind the head.

using System;
using System.Diagnostics;
using System.Threading;

namespace Rendezvous.Channels.Diagnostics;

/// <summary>
/// Every channel created while <see cref="ChannelDiagnostics.MetricsEnabled"/> or
/// <see cref="ChannelDiagnostics.LeakDetectionEnabled"/> is on, from its <see cref="ChannelRegistration"/>'s
/// creation (a <see cref="LeakTracker"/> when detection is on) until it is completed or collected. Nothing else is
/// in it: a channel created with both off never reaches this class. The metrics count every entry; the snapshot
/// and the watchdog, which name where a channel was created, only those of leak trackers.
/// </summary>
/// <remarks>
/// <para>Costs: one entry (and one weak handle) per registered channel, at its creation; nothing per operation.
/// The entry references the registration weakly (a short weak reference), so the registry never keeps a channel
/// alive and the leak report still fires; the reference is cleared when the channel and its registration become
/// unreachable, before a tracker's finalizer reports it, so a collected channel vanishes from here before its
/// leak report and is never seen again by the watchdog.</para>
/// <para>Concurrency: registration pushes an entry at the head with a CAS. Entries whose channel was completed
/// or collected are unlinked by a sweep, run by one thread at a time (a flag taken with an exchange; a thread
/// that finds it taken skips the sweep rather than wait). Only the sweeper writes the <see cref="Entry.Next"/>
/// of an entry already in the list, and it moves the head only by CAS, which fails if a registration pushed
/// meanwhile; so no registration is lost. A walker that stands on an entry being unlinked still reaches every
/// later entry, because an unlinked entry keeps its link onwards.</para>
/// </remarks>
internal static class LiveChannelRegistry
{
    /// <summary>Registrations after which a sweep is due at the latest, however few channels survived the last one.</summary>
    private const int MinRegistrationsBetweenSweeps = 64;

    /// <summary>The most recently registered entry, or null; changed only by CAS.</summary>
    private static Entry? s_head;

    /// <summary>1 while a sweep runs; taken with an exchange, so that one thread at a time unlinks entries.</summary>
    private static int s_sweeping;

    /// <summary>Registrations since the last sweep; a sweep is due when they outnumber its survivors (amortized O(1)).</summary>
    private static int s_registeredSinceSweep;

    /// <summary>Entries that the last sweep kept.</summary>
    private static int s_survivorsAtLastSweep;

    /// <summary>The most recently registered entry: walk from it along <see cref="Entry.Next"/>. Entries may be dead.</summary>
    internal static Entry? First => Volatile.Read(ref s_head);

    /// <summary>The registration's hook, once per registered channel, when the registration is complete.</summary>
    internal static void Register(ChannelRegistration registration)
    {
        Debug.Assert(registration is not null);
        var entry = new Entry(registration);
        Entry? head = Volatile.Read(ref s_head);
        while (true)
        {
            entry.Next = head;
            // Publish the entry: a walker that reads the new head sees its registration and its link.
            Entry? witnessed = Interlocked.CompareExchange(ref s_head, entry, head);
            if (witnessed == head)
            {
                break;
            }

            head = witnessed;
        }

        if (registration is LeakTracker)
        {
            // Only leak detection times parked operations: metrics alone put nothing on an operation.
            ParkClock.OnChannelTracked();
        }

        ChannelMetrics.OnChannelCreated();
        // After the push (a full fence): a watchdog that stops now either sees this entry or is seen stopped here.
        StuckChannelWatchdog.OnChannelTracked();

        if (Interlocked.Increment(ref s_registeredSinceSweep) > Math.Max(MinRegistrationsBetweenSweeps, Volatile.Read(ref s_survivorsAtLastSweep)))
        {
            TrySweep();
        }
    }

    /// <summary>
    /// Unlinks the entries of channels that were completed or collected, unless another thread is sweeping. A
    /// dead entry at the head stays if a registration pushed in front of it meanwhile; the next sweep takes it.
    /// </summary>
    internal static void TrySweep()
    {
        // Take the sweeper's flag; if another thread holds it, its sweep does the work.
        if (Interlocked.Exchange(ref s_sweeping, 1) != 0)
        {
            return;
        }

        try
        {
            Volatile.Write(ref s_registeredSinceSweep, 0);
            int survivors = 0;
            Entry? previous = null;
            Entry? current = Volatile.Read(ref s_head);
            while (current is not null)
            {
                Entry? next = current.Next;
                if (current.IsLive)
                {
                    survivors++;
                    previous = current;
                }
                else if (previous is null)
                {
                    // The head moves only by CAS: registrations push there. If one did, keep this entry for now.
                    if (Interlocked.CompareExchange(ref s_head, next, current) != current)
                    {
                        previous = current;
                    }
                }
                else
                {
                    // Only the sweeper writes links behind the head. The unlinked entry keeps its own link, so a
                    // walker standing on it still reaches the rest of the list.
                    previous.Next = next;
                }

                current = next;
            }

            Volatile.Write(ref s_survivorsAtLastSweep, survivors);
        }
        finally
        {
            // Release the flag: our unlinking is visible to the next sweeper.
            Volatile.Write(ref s_sweeping, 0);
        }
    }

    /// <summary>One registered channel: a weak reference to its registration, and what the watchdog remembers about it.</summary>
    internal sealed class Entry
    {
        /// <summary>Short weak reference: cleared when the channel and its registration become unreachable, before any leak report.</summary>
        private readonly WeakReference<ChannelRegistration> _registration;

        /// <summary>The next older entry, or null. Written before publication by the registering thread, then only by the sweeper.</summary>
        private Entry? _next;

        /// <summary>The creation stack as text, formatted on first need (formatting costs as much as capturing).</summary>
        private string? _creationStackTrace;

        internal Entry(ChannelRegistration registration) =>
            _registration = new WeakReference<ChannelRegistration>(registration, trackResurrection: false);

        internal Entry? Next
        {
            get => Volatile.Read(ref _next);
            set => Volatile.Write(ref _next, value);
        }

        /// <summary>
        /// Watchdog only (its ticks never overlap): the park timestamp of the oldest operation of the episode last
        /// reported, or 0 if the channel is not in a reported episode.
        /// </summary>
        internal long ReportedOldestParkTimestamp { get; set; }

        /// <summary>Watchdog only: the blocked readers of the episode last reported.</summary>
        internal int ReportedBlockedReaders { get; set; }

        /// <summary>Watchdog only: the blocked writers of the episode last reported.</summary>
        internal int ReportedBlockedWriters { get; set; }

        /// <summary>Whether the channel is still alive and not completed.</summary>
        internal bool IsLive => TryGetLiveRegistration(out _);

        /// <summary>The registration of a channel that is alive and not completed; false once it is either.</summary>
        internal bool TryGetLiveRegistration(out ChannelRegistration registration) =>
            _registration.TryGetTarget(out registration!) && registration.IsArmed;

        /// <summary>
        /// The tracker of a channel that is alive, not completed and tracked by leak detection (so its creation
        /// site is known); false for a channel registered by metrics alone.
        /// </summary>
        internal bool TryGetLiveTracker(out LeakTracker tracker)
        {
            if (TryGetLiveRegistration(out ChannelRegistration registration) && registration is LeakTracker leakTracker)
            {
                tracker = leakTracker;
                return true;
            }

            tracker = null!;
            return false;
        }

        /// <summary>The creation stack as text, from the caller of the channel's constructor (as in a leak report).</summary>
        internal string GetCreationStackTrace(LeakTracker tracker) =>
            _creationStackTrace ??= LeakTracker.FormatCreationStack(tracker.CreationStack);
    }
}
