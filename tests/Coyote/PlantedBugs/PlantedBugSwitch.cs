namespace Rendezvous.Channels.Parking;

/// <summary>
/// Which planted bug the library's <c>#if PLANTED_BUGS</c> hooks act out. Set by a test before it runs its
/// scenarios; the Coyote tests run one at a time, so a process-wide switch is enough.
/// </summary>
internal static class PlantedBugSwitch
{
    public static PlantedBug Active { get; set; }

    public static bool Is(PlantedBug bug) => Active == bug;
}
