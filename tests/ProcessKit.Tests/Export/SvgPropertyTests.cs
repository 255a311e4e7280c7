using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ProcessKit.Definitions;
using ProcessKit.Export;
using ProcessKit.Tests.Generators;

namespace ProcessKit.Tests.Export;

public sealed class SvgPropertyTests
{
    [Property(Arbitrary = [typeof(DefinitionArbitraries)], MaxTest = 60)]
    public void Every_valid_definition_gives_well_formed_XML_with_one_node_per_step_and_no_overlap(ProcessDefinition definition)
    {
        var svg = SvgExporter.Export(definition, new SvgOptions { HighlightSteps = [definition.Steps[^1].Id], VisitedSteps = [definition.Steps[0].Id] });

        SvgDiagram.AssertInvariants(definition, svg);
        Assert.Equal(svg, SvgExporter.Export(definition with { }, new SvgOptions { HighlightSteps = [definition.Steps[^1].Id], VisitedSteps = [definition.Steps[0].Id] }));
    }

    [Property(MaxTest = 60)]
    public Property Any_names_and_labels_give_well_formed_XML()
    {
        var texts = ArbMap.Default.GeneratorFor<NonNull<string>>().Select(static s => s.Get);
        var renamed =
            from definition in DefinitionGenerators.ValidDefinition
            from name in texts
            from names in Gen.ArrayOf(texts, definition.Steps.Count)
            from label in texts
            select definition with
            {
                Name = name,
                Steps = [.. definition.Steps.Select((s, i) => s with
                {
                    Name = names[i],
                    Flows = [.. s.Flows.Select(f => f with { Label = label })],
                })],
            };

        return Prop.ForAll(renamed.ToArbitrary(), static definition =>
        {
            SvgDiagram.AssertInvariants(definition, SvgExporter.Export(definition, new SvgOptions { Title = definition.Name }));
        });
    }
}
