using System;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Benchmarks.Rounds;

/// <summary>
/// One workload of the <c>rounds</c> command: the same code run against our channel and against its BCL baseline,
/// each call moving <see cref="OperationsPerRound"/> operations and throwing if an item was lost or mismatched.
/// </summary>
internal sealed record RoundsWorkload(string Name, Func<Task> Ours, Func<Task> Baseline, int OperationsPerRound);
