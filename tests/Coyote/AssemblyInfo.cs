// Coyote's testing engine takes over scheduling for the whole process while it runs, and the planted-bug
// switch is process-wide: the systematic tests must run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
