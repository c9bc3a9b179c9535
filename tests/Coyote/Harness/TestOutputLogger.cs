using System;
using System.IO;
using System.Text;
using Microsoft.Coyote.Logging;

namespace Rendezvous.Channels.Tests.Coyote.Harness;

/// <summary>
/// Sends what Coyote logs to the xunit test output instead of the process's standard output, where it would
/// interleave with every other test's: a line at a time, as xunit's output takes whole lines.
/// </summary>
internal sealed class TestOutputLogger : TextWriter, ILogger
{
    private readonly ITestOutputHelper _output;
    private readonly TextWriterLogger _formatter;
    private readonly StringBuilder _line = new();

    public TestOutputLogger(ITestOutputHelper output)
    {
        _output = output;
        // Coyote's own text logger does the formatting; this writer only routes its lines. Warnings and errors
        // only: at Info it logs a line per iteration, and the summary printed by SystematicTest says it all.
        _formatter = new TextWriterLogger(this, VerbosityLevel.Warning);
    }

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        if (value == '\n')
        {
            FlushLine();
        }
        else if (value != '\r')
        {
            _line.Append(value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _line.Length > 0)
        {
            FlushLine();
        }

        base.Dispose(disposing);
    }

    private void FlushLine()
    {
        _output.WriteLine(_line.ToString());
        _line.Clear();
    }

    void ILogger.Write(string value) => _formatter.Write(value);

    void ILogger.Write(string format, object arg0) => _formatter.Write(format, arg0);

    void ILogger.Write(string format, object arg0, object arg1) => _formatter.Write(format, arg0, arg1);

    void ILogger.Write(string format, object arg0, object arg1, object arg2) => _formatter.Write(format, arg0, arg1, arg2);

    void ILogger.Write(string format, params object[] args) => _formatter.Write(format, args);

    void ILogger.Write(LogSeverity severity, string value) => _formatter.Write(severity, value);

    void ILogger.Write(LogSeverity severity, string format, object arg0) => _formatter.Write(severity, format, arg0);

    void ILogger.Write(LogSeverity severity, string format, object arg0, object arg1) => _formatter.Write(severity, format, arg0, arg1);

    void ILogger.Write(LogSeverity severity, string format, object arg0, object arg1, object arg2) => _formatter.Write(severity, format, arg0, arg1, arg2);

    void ILogger.Write(LogSeverity severity, string format, params object[] args) => _formatter.Write(severity, format, args);

    void ILogger.WriteLine(string value) => _formatter.WriteLine(value);

    void ILogger.WriteLine(string format, object arg0) => _formatter.WriteLine(format, arg0);

    void ILogger.WriteLine(string format, object arg0, object arg1) => _formatter.WriteLine(format, arg0, arg1);

    void ILogger.WriteLine(string format, object arg0, object arg1, object arg2) => _formatter.WriteLine(format, arg0, arg1, arg2);

    void ILogger.WriteLine(string format, params object[] args) => _formatter.WriteLine(format, args);

    void ILogger.WriteLine(LogSeverity severity, string value) => _formatter.WriteLine(severity, value);

    void ILogger.WriteLine(LogSeverity severity, string format, object arg0) => _formatter.WriteLine(severity, format, arg0);

    void ILogger.WriteLine(LogSeverity severity, string format, object arg0, object arg1) => _formatter.WriteLine(severity, format, arg0, arg1);

    void ILogger.WriteLine(LogSeverity severity, string format, object arg0, object arg1, object arg2) => _formatter.WriteLine(severity, format, arg0, arg1, arg2);

    void ILogger.WriteLine(LogSeverity severity, string format, params object[] args) => _formatter.WriteLine(severity, format, args);
}
