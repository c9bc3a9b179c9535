// The namespaces every Coyote test file here uses: the harness, the channels under test, the scenarios, xunit.

global using Rendezvous.Channels.Tests.Coyote.Channels;
global using Rendezvous.Channels.Tests.Coyote.Harness;
global using Rendezvous.Channels.Tests.Coyote.Scenarios;
global using Xunit;
global using Xunit.Abstractions;
