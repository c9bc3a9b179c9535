using System.Threading.Tasks;
using Xunit;

namespace Rendezvous.Channels.Tests.Unit;

/// <summary>
/// Turns a hang into a test failure, with the same generous bound as <see cref="RingBufferTestSupport.WithTimeout(Task, string)"/>:
/// correctness never depends on it, only liveness does.
/// </summary>
public static class Eventually
{
    public static Task Completes(Task task) => task.WithTimeout("the operation (it hangs)");

    public static Task<T> Completes<T>(Task<T> task) => task.WithTimeout("the operation (it hangs)");

    public static Task<T> Completes<T>(ValueTask<T> task) => Completes(task.AsTask());

    public static Task Completes(ValueTask task) => Completes(task.AsTask());
}
