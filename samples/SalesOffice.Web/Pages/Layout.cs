using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace ProcessKit.Samples.SalesOffice.Web.Pages;

/// <summary>The pages' frame: the header with the links and who is signed in, a demo notice, and the styles.</summary>
internal static class Layout
{
    public static string Encode(string? text) => HtmlEncoder.Default.Encode(text ?? string.Empty);

    /// <summary>A hidden field with the request's antiforgery token, for a form that posts.</summary>
    public static string Token(HttpContext http)
    {
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        return $"<input type=\"hidden\" name=\"{Encode(tokens.FormFieldName)}\" value=\"{Encode(tokens.RequestToken)}\">";
    }

    public static IResult Page(HttpContext http, string title, string body, int statusCode = StatusCodes.Status200OK)
    {
        var user = http.User.Identity?.IsAuthenticated == true ? http.User.Identity.Name : null;
        var html = new StringBuilder();
        html.Append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(Encode(title)).Append(" · Sales office</title><style>").Append(Styles).Append("</style></head><body>")
            .Append("<header><strong>Sales office</strong><nav><a href=\"/\">CRM</a><a href=\"/processkit/inbox\">Inbox</a>");
        if (user is not null)
        {
            var role = DemoSignIn.RoleName(http.User);
            html.Append("<span class=\"who\">Signed in as <b id=\"who\">").Append(Encode(user)).Append("</b> (").Append(Encode(role)).Append(")</span>")
                .Append("<form method=\"post\" action=\"/signout\">").Append(Token(http)).Append("<button type=\"submit\">Sign out</button></form>");
        }
        else
        {
            html.Append("<a href=\"/signin\">Sign in</a>");
        }

        html.Append("</nav></header><p class=\"demo\">A demo: anyone may act as anyone, with no password. Never run it like this with real data.</p><main>")
            .Append("<h1>").Append(Encode(title)).Append("</h1>")
            .Append(body)
            .Append("</main></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, statusCode);
    }

    private const string Styles = """
        body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
        header{display:flex;gap:1.5rem;align-items:center;padding:.6rem 1.2rem;background:#1f3a5f;color:#fff}
        header a{color:#fff;margin-right:1rem}header nav{display:flex;align-items:center;gap:.5rem;flex:1}
        header form{display:inline;margin-left:auto}.who{margin-left:auto}
        .demo{margin:0;padding:.4rem 1.2rem;background:#fff3cd;border-bottom:1px solid #e0c97f}
        main{padding:0 1.2rem 2rem;max-width:72rem}
        table{border-collapse:collapse;margin:.5rem 0 1.5rem;background:#fff}
        th,td{border:1px solid #ccc;padding:.25rem .6rem;text-align:left}th{background:#eef2f7}
        form.contact{display:grid;grid-template-columns:max-content 20rem;gap:.4rem .8rem;background:#fff;padding:1rem;border:1px solid #ccc;max-width:36rem}
        .notice{padding:.5rem .8rem;background:#e6f4ea;border:1px solid #9bd1ad}.error{padding:.5rem .8rem;background:#fde7e9;border:1px solid #e59aa3}
        .people{display:flex;flex-wrap:wrap;gap:1rem}.people section{background:#fff;border:1px solid #ccc;padding:.6rem 1rem}
        button{font:inherit;padding:.25rem .7rem}
        """;
}
