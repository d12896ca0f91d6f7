using System.Text;
using Microsoft.Extensions.Configuration;
using TaskQueue.Grains.TaskTypes;
using TaskQueue.SyftService.References;
using TaskQueue.TestSupport;

namespace TaskQueue.SyftService.Tests.References;

/// <summary>
/// The queue checks <c>docker_image_id</c> at submission with the pattern in the silo's settings file; this
/// service parses it again before any engine runs. Both must draw the line in the same place: a reference the
/// queue accepts and the service refuses is stored, dispatched and fails late as a permanent 400, and one the
/// queue refuses that the service would take can never be scanned. The check here is the queue's own
/// (<see cref="TaskParameterRules"/>) with the parameter's settings read from <c>src/Silo/appsettings.json</c>.
/// </summary>
public sealed class SubmissionPatternTests
{
    private const string ParameterSection = "TaskQueue:TaskTypes:syft:Parameters:docker_image_id";
    private const string EditCharacters = "aZ09._-:/@[]%$ \t\\?#+~";

    private static readonly Lazy<TaskParameterOptions> Parameter = new(ReadParameter);

    private static readonly string[] Domains =
    [
        "", "", "", "localhost", "localhost:5000", "reg.io", "Reg.IO:443", "127.0.0.1:18500", "[::1]:18500",
        "[fe80::1]", "[fe80]", "[fe80]:5000", "registry:5000", "reg-.io", "-reg.io", "a_b.c", "reg.io:0",
        "reg.io:65535", "reg.io:65536", "reg.io:05000", "reg.io:123456", "reg.io:", "user@reg.io", "http:",
        "docker.io", "index.docker.io", "a..b", "LOCALHOST", "[::1", "[::1]x", "reg.io:5000:1",
    ];

    private static readonly string[] Components =
    [
        "app", "team", "a.b", "a__b", "a___b", "a--b", "a-", "-a", "A", "Team", "x_y", "localhost", "s.t", "_a",
        "a..b", "1", "busybox-dpkg", "library", "..", "a%2f", "ubuntu",
    ];

    private static readonly string[] Tags =
    [
        "1.0", "latest", "_x", ".x", "-x", "", "V1.2.3-rc_1", "a/b", "$(id)", "24.04", "5000",
    ];

    private static readonly string[] Digests =
    [
        ImageReferenceCases.Sha256, "sha512:" + new string('f', 128), "sha256:abc", "md5:0123456789abcdef",
        "sha256:" + new string('A', 64), "SHA256:" + new string('a', 64), "sha256", "1sha:00",
    ];

    [Theory]
    [MemberData(nameof(ImageReferenceCases.ValidInputs), MemberType = typeof(ImageReferenceCases))]
    public void Check_ReferenceTheParserAccepts_IsAccepted(string input)
    {
        Assert.True(ImageReferenceParser.TryParse(input, out _, out var error), error);

        Assert.Null(TaskParameterRules.Check(Parameter.Value, input));
    }

    [Theory]
    [MemberData(nameof(ImageReferenceCases.InvalidInputs), MemberType = typeof(ImageReferenceCases))]
    public void Check_ReferenceTheParserRefuses_IsRefused(string input)
    {
        Assert.False(ImageReferenceParser.TryParse(input, out _, out _));

        Assert.NotNull(TaskParameterRules.Check(Parameter.Value, input));
    }

    [Fact]
    public void Check_OverLongParts_AreRefusedLikeTheParserRefusesThem()
    {
        var longestName = "r.io/" + new string('a', ImageReferenceParser.MaxNameLength - 5);
        var longestTag = "t" + new string('9', ImageReferenceParser.MaxTagLength - 1);
        var longest = $"{longestName}:{longestTag}@{ImageReferenceCases.Sha256}";

        Assert.Null(TaskParameterRules.Check(Parameter.Value, longest));
        Assert.NotNull(TaskParameterRules.Check(Parameter.Value, longestName + "b"));
        Assert.NotNull(TaskParameterRules.Check(Parameter.Value, $"{longestName}:{longestTag}0"));
        Assert.NotNull(TaskParameterRules.Check(Parameter.Value, new string('a', 100_000)));
    }

    [Fact]
    public void Check_RefusedReference_SaysWhatFormIsExpected()
    {
        var problem = TaskParameterRules.Check(Parameter.Value, "http://evil/x");
        var option = TaskParameterRules.Check(Parameter.Value, "--output=/etc/passwd");

        Assert.Contains("an image reference such as ubuntu:24.04", problem, StringComparison.Ordinal);
        Assert.Contains("must not start with '-'", option, StringComparison.Ordinal);
    }

    /// <summary>
    /// Inputs built to make a backtracking pattern work hard, at the longest length the parameter allows: each
    /// must be decided, not cut off by the pattern's timeout (which would refuse a value for the wrong reason).
    /// </summary>
    [Theory]
    [InlineData("a.", 256)]
    [InlineData("a-", 256)]
    [InlineData("a/", 256)]
    [InlineData("a:", 256)]
    [InlineData("a.a/", 128)]
    [InlineData("[:", 256)]
    [InlineData("a__", 170)]
    [InlineData("0", 512)]
    public void Pattern_AdversarialInput_IsDecidedWithinItsTimeout(string unit, int repeats)
    {
        var regex = TaskParameterRules.CompilePattern(Parameter.Value.Pattern!);
        var input = string.Concat(Enumerable.Repeat(unit, repeats));
        input = input[..Math.Min(input.Length, Parameter.Value.MaxLength - 1)] + "!";
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var matched = regex.IsMatch(input);

        Assert.False(matched);
        Assert.True(watch.Elapsed < TaskParameterRules.PatternTimeout, $"Took {watch.Elapsed.TotalMilliseconds} ms.");
    }

    /// <summary>
    /// Thousands of references built from the grammar's pieces, good and broken (wrong case, bad ports, stray
    /// characters, over-long parts, then random edits): the two checks must give the same verdict on each.
    /// </summary>
    [Fact]
    public void Check_GeneratedReferences_AgreeWithTheParser()
    {
        var random = new Random(20_240_601);
        var disagreements = new List<string>();
        var accepted = 0;
        var refused = 0;

        for (var i = 0; i < 30_000; i++)
        {
            var input = Generate(random);
            var parserAccepts = ImageReferenceParser.TryParse(input, out _, out var parserError);
            var queueProblem = TaskParameterRules.Check(Parameter.Value, input);
            if (parserAccepts != queueProblem is null)
            {
                disagreements.Add($"'{Printable(input)}': parser {(parserAccepts ? "accepts" : parserError)}; "
                    + $"queue {queueProblem ?? "accepts"}");
            }

            if (parserAccepts)
            {
                accepted++;
            }
            else
            {
                refused++;
            }
        }

        Assert.True(disagreements.Count == 0, string.Join(Environment.NewLine, disagreements.Take(30)));

        // A generator that produced only one kind would prove nothing.
        Assert.True(accepted > 2_000 && refused > 2_000, $"{accepted} accepted, {refused} refused.");
    }

    private static TaskParameterOptions ReadParameter()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepositoryPaths.Root, "src", "Silo", "appsettings.json"), optional: false)
            .Build();
        var parameter = configuration.GetSection(ParameterSection).Get<TaskParameterOptions>();
        Assert.True(parameter?.Pattern is not null, $"src/Silo/appsettings.json has no {ParameterSection}:Pattern.");
        return parameter;
    }

    private static string Generate(Random random)
    {
        var text = new StringBuilder();
        var domain = Pick(random, Domains);
        if (domain.Length > 0)
        {
            text.Append(domain).Append('/');
        }

        var components = random.Next(1, 4);
        for (var i = 0; i < components; i++)
        {
            text.Append(i == 0 ? "" : "/").Append(random.Next(20) == 0
                ? new string('a', random.Next(50, 300))
                : random.Next(3) == 0 ? RandomComponent(random) : Pick(random, Components));
        }

        if (random.Next(2) == 0)
        {
            text.Append(':').Append(random.Next(15) == 0
                ? "t" + new string('1', random.Next(120, 135))
                : Pick(random, Tags));
        }

        if (random.Next(4) == 0)
        {
            text.Append('@').Append(Pick(random, Digests));
        }

        if (random.Next(30) == 0)
        {
            text.Clear().Append(new string('0', 64));
        }

        var edits = random.Next(3) == 0 ? random.Next(1, 3) : 0;
        for (var i = 0; i < edits && text.Length > 0; i++)
        {
            var at = random.Next(text.Length);
            var character = EditCharacters[random.Next(EditCharacters.Length)];
            switch (random.Next(3))
            {
                case 0: text.Insert(at, character); break;
                case 1: text.Remove(at, 1); break;
                default: text[at] = character; break;
            }
        }

        return text.ToString();
    }

    private static string RandomComponent(Random random)
    {
        const string alphabet = "abcxyz019._-";
        var length = random.Next(1, 8);
        var component = new char[length];
        for (var i = 0; i < length; i++)
        {
            component[i] = alphabet[random.Next(alphabet.Length)];
        }

        return new string(component);
    }

    private static string Pick(Random random, string[] choices) => choices[random.Next(choices.Length)];

    private static string Printable(string value) =>
        value.Length > 200
            ? $"{value[..100]}…({value.Length} chars)"
            : value.Replace("\t", "\\t", StringComparison.Ordinal);
}
