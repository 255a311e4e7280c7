using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using ProcessKit.Samples.SalesOffice.Crm;

namespace ProcessKit.Samples.SalesOffice.Web.Pages;

/// <summary>
/// The demo sign-in: pick a person of the sales office and act as them, with their role as a claim
/// (<see cref="ClaimTypes.Role"/>, the claim type ProcessKit's endpoints read by default). No passwords.
/// </summary>
internal static class DemoSignIn
{
    /// <summary>The process's role ids and what the page calls them.</summary>
    public static readonly IReadOnlyDictionary<string, string> RoleNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["operator"] = "Operator",
        ["manager"] = "Manager",
        ["dispatcher"] = "Dispatcher",
        ["headOfSales"] = "Head of sales",
    };

    public static string RoleName(ClaimsPrincipal user) =>
        string.Join(", ", user.FindAll(ClaimTypes.Role).Select(static c => RoleNames.GetValueOrDefault(c.Value, c.Value)));

    public static void MapDemoSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet("/signin", (HttpContext http, SalesStaff staff, string? returnUrl) => Layout.Page(http, "Sign in", Form(http, staff, returnUrl)));
        app.MapPost("/signin", SignInAsync);
        app.MapPost("/signout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/signin");
        });
    }

    private static async Task<IResult> SignInAsync(HttpContext http, SalesStaff staff, IFormCollection form)
    {
        var person = staff.People.FirstOrDefault(p => p.Id == form["person"].ToString());
        if (person is null)
        {
            return Layout.Page(http, "Sign in", "<p class=\"error\">Pick one of the people below.</p>" + Form(http, staff, null), StatusCodes.Status400BadRequest);
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, person.Id), new Claim(ClaimTypes.Name, person.Id), new Claim(ClaimTypes.Role, person.Role)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        var returnUrl = form["returnUrl"].ToString();
        return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl : "/");
    }

    private static bool IsLocal(string url) =>
        url.Length > 0 && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));

    private static string Form(HttpContext http, SalesStaff staff, string? returnUrl)
    {
        var html = new StringBuilder("<p>Who are you today? Pick a person; the role decides which tasks the inbox shows and what ProcessKit lets you do.</p><div class=\"people\">");
        foreach (var (role, name) in RoleNames)
        {
            html.Append("<section><h2>").Append(Layout.Encode(name)).Append("</h2>");
            foreach (var person in staff.People.Where(p => p.Role == role))
            {
                html.Append("<form method=\"post\" action=\"/signin\">").Append(Layout.Token(http))
                    .Append("<input type=\"hidden\" name=\"returnUrl\" value=\"").Append(Layout.Encode(IsLocal(returnUrl ?? string.Empty) ? returnUrl : "/")).Append("\">")
                    .Append("<button type=\"submit\" name=\"person\" value=\"").Append(Layout.Encode(person.Id)).Append("\">Sign in as ").Append(Layout.Encode(person.Id)).Append("</button></form>");
            }

            html.Append("</section>");
        }

        return html.Append("</div>").ToString();
    }
}
