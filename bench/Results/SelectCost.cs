namespace Rendezvous.Channels.Benchmarks.Results;

/// <summary>A select row against the plain row it replaces, same case, same run.</summary>
internal sealed record SelectCost(MeasuredBenchmark Select, MeasuredBenchmark Plain)
{
    public double Ratio => Select.NanosecondsPerOperation / Plain.NanosecondsPerOperation;

    /// <summary>The select's own nanoseconds per item: exact, since the rows share everything else.</summary>
    public double ExtraNanoseconds => Select.NanosecondsPerOperation - Plain.NanosecondsPerOperation;

    public bool MeetsTarget => Ratio <= SelectTargets.MaxTimesPlainReadAsync;

    /// <summary>Null when the run did not measure allocations.</summary>
    public bool? MeetsAllocationTarget => Select.BytesPerOperation is double bytes ? bytes < SelectTargets.MaxBytesPerItem : null;
}
