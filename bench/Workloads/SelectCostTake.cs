namespace Rendezvous.Channels.Benchmarks.Workloads;

/// <summary>Takes one round's items (<see cref="SelectCostChannels.Batch"/> per channel) and returns the running tally.</summary>
internal delegate ItemTally SelectCostTake(SelectCostChannels channels, ItemTally tally);
