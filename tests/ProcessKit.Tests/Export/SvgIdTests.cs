using System.Xml;
using System.Xml.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ProcessKit.Definitions;
using ProcessKit.Definitions.Json;
using ProcessKit.Export;
using ProcessKit.Tests.Scenarios;

namespace ProcessKit.Tests.Export;

public sealed class SvgIdTests
{
    private static readonly XNamespace Html = "http://www.w3.org/1999/xhtml";

    private static async Task<ProcessDefinition> ReadSampleAsync(string file)
    {
        await using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "definitions", file));
        return await ProcessDefinitionJson.ReadAsync(stream, cancellationToken: TestContext.Current.CancellationToken);
    }

    private static ProcessDefinition Tiny(string id, int version = 1) => new(id, "Tiny") { Version = version, Steps = [new HumanTaskStep("a", "A") { Flows = [new FlowDefinition("b") { Path = PathKind.Rework }] }, new EndStep("b", "B")] };

    private static List<string> MarkerIds(string svg) =>
        [.. SvgDiagram.Parse(svg).Descendants(SvgDiagram.Svg + "marker").Select(static m => (string)m.Attribute("id")!)];

    [Fact]
    public async Task Diagrams_inlined_in_one_HTML_document_have_disjoint_ids_and_each_reference_resolves_inside_its_own_diagram()
    {
        var cafe = await ReadSampleAsync("cafe.json");
        var sales = await ReadSampleAsync("sales-office.json");
        var diagrams = new[]
        {
            SvgExporter.Export(cafe),
            SvgExporter.Export(sales),
            SvgExporter.Export(SalesOfficeProcess.Definition with { Version = 2 }),
            SvgExporter.Export(cafe, new SvgOptions { IdPrefix = "instance-42-", HighlightSteps = [cafe.Steps[1].Id] }),
        };
        var page = $"<html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>Two diagrams</title></head><body><h1 id=\"top\">Diagrams</h1>{string.Concat(diagrams.Select(static d => $"<figure>{d}</figure>"))}</body></html>";

        var document = XDocument.Parse(page);
        var svgs = document.Descendants(SvgDiagram.Svg + "svg").ToList();

        Assert.Equal(diagrams.Length, svgs.Count);
        var all = document.Descendants().Select(static e => (string?)e.Attribute("id")).OfType<string>().ToList();
        Assert.Equal(all.Count, all.Distinct(StringComparer.Ordinal).Count());
        for (var i = 0; i < svgs.Count; i++)
        {
            var ids = SvgDiagram.Ids(svgs[i]);
            var references = SvgDiagram.References(svgs[i]);
            Assert.NotEmpty(ids);
            Assert.NotEmpty(references);
            Assert.All(references, reference => Assert.Contains(reference, ids));
            for (var j = 0; j < svgs.Count; j++)
            {
                if (j != i)
                {
                    Assert.Empty(ids.Intersect(SvgDiagram.Ids(svgs[j]), StringComparer.Ordinal));
                }
            }
        }

        Assert.Equal("top", (string?)document.Descendants(Html + "h1").Single().Attribute("id"));
    }

    [Fact]
    public void The_default_prefix_is_the_process_id_and_version_written_as_a_valid_id()
    {
        Assert.Equal(
            ["pk-cafe.serve-guest-v3-arrow-happy", "pk-cafe.serve-guest-v3-arrow-alternate", "pk-cafe.serve-guest-v3-arrow-exception", "pk-cafe.serve-guest-v3-arrow-rework"],
            MarkerIds(SvgExporter.Export(Tiny("cafe.serve-guest", 3))));
        Assert.Equal("pk-Order_20_approval_2f__fc__5f_x-v12-arrow-happy", MarkerIds(SvgExporter.Export(Tiny("Order approval/\u00fc_x", 12)))[0]);
        Assert.NotEqual(MarkerIds(SvgExporter.Export(Tiny("p", 1))), MarkerIds(SvgExporter.Export(Tiny("p", 2))));
        Assert.Contains("marker-end=\"url(#pk-p-v1-arrow-rework)\"", SvgExporter.Export(Tiny("p")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lead-7-", "lead-7-arrow-happy")]
    [InlineData("_x", "_5f_xarrow-happy")]
    [InlineData("7-", "pk-7-arrow-happy")]
    [InlineData("-", "pk--arrow-happy")]
    [InlineData("", "pk-arrow-happy")]
    [InlineData("a b\"<", "a_20_b_22__3c_arrow-happy")]
    public void A_given_prefix_is_used_and_written_as_a_valid_id(string prefix, string first)
    {
        var svg = SvgExporter.Export(Tiny("p"), new SvgOptions { IdPrefix = prefix });

        Assert.Equal(first, MarkerIds(svg)[0]);
        SvgDiagram.AssertReferencesResolve(SvgDiagram.Parse(svg));
    }

    [Property(MaxTest = 100)]
    public Property Any_prefix_gives_valid_ids_that_resolve_and_different_prefixes_give_different_ids()
    {
        var texts = ArbMap.Default.GeneratorFor<NonNull<string>>().Select(static s => s.Get);
        var pairs = from a in texts from b in texts select (a, b);
        return Prop.ForAll(pairs.ToArbitrary(), static pair =>
        {
            var definition = Tiny("p");
            var first = SvgExporter.Export(definition, new SvgOptions { IdPrefix = pair.a });
            var second = SvgExporter.Export(definition, new SvgOptions { IdPrefix = pair.b });

            SvgDiagram.AssertReferencesResolve(SvgDiagram.Parse(first));
            Assert.All(MarkerIds(first), static id => XmlConvert.VerifyNCName(id));
            Assert.Equal(first, SvgExporter.Export(definition, new SvgOptions { IdPrefix = pair.a }));
            Assert.Equal(
                string.Equals(SvgText.IdPrefix(pair.a), SvgText.IdPrefix(pair.b), StringComparison.Ordinal),
                MarkerIds(first).SequenceEqual(MarkerIds(second)));
            if (!string.Equals(pair.a, pair.b, StringComparison.Ordinal) && pair.a.Length > 0 && pair.b.Length > 0
                && char.IsAsciiLetter(pair.a[0]) && char.IsAsciiLetter(pair.b[0]) && !pair.a.Any(char.IsSurrogate) && !pair.b.Any(char.IsSurrogate))
            {
                Assert.Empty(MarkerIds(first).Intersect(MarkerIds(second), StringComparer.Ordinal));
            }
        });
    }
}
