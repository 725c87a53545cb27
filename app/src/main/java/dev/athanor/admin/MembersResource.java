package dev.athanor.admin;

import com.codahale.metrics.annotation.Timed;
import dev.athanor.billing.Billing;
import dev.athanor.platform.web.Csrf;
import dev.athanor.platform.web.Layout;
import dev.athanor.platform.web.PageView;
import dev.athanor.platform.web.Viewer;
import dev.athanor.platform.web.Web;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

/** The operator's members page: everyone with access, and manual grants given and revoked by hand (audited). */
@Path("/admin/members")
@Produces(Web.HTML)
public final class MembersResource {

    private final Billing billing;
    private final Web web;

    public MembersResource(Billing billing, Web web) {
        this.billing = billing;
        this.web = web;
    }

    /** The page's view. */
    public static final class MembersPage extends PageView {
        public final List<Billing.Member> members;
        public final String notice;
        public final String problem;

        MembersPage(Layout layout, List<Billing.Member> members, String notice, String problem) {
            super("members.mustache", layout, "Members");
            this.members = members;
            this.notice = notice;
            this.problem = problem;
        }
    }

    @GET
    @Timed
    public Response page(@QueryParam("notice") String notice, @Context HttpServletRequest request,
            @Context HttpServletResponse response) {
        Operator.require(web, request);
        return page(request, response, notice, null, 200);
    }

    @POST
    @Path("grant")
    @Timed
    public Response grant(@FormParam("email") @DefaultValue("") String email,
            @FormParam("until") @DefaultValue("") String until, @FormParam("note") @DefaultValue("") String note,
            @FormParam(Csrf.FIELD) String csrf, @Context HttpServletRequest request,
            @Context HttpServletResponse response) {
        Viewer operator = Operator.requireForm(web, request, csrf);
        try {
            LocalDate last = LocalDate.parse(until.strip());
            if (last.getYear() < 1 || last.getYear() > 9999) {
                throw new DateTimeParseException("outside years 1 to 9999", until, 0);
            }
            billing.grant(email, last, note, "admin:" + operator.email());
            return done("Access given to " + email.strip() + " until " + until.strip() + ".");
        } catch (DateTimeParseException e) {
            return page(request, response, null, "Give the last day as YYYY-MM-DD.", 422);
        } catch (Billing.Refused e) {
            return page(request, response, null, e.getMessage(), 422);
        }
    }

    @POST
    @Path("revoke")
    @Timed
    public Response revoke(@FormParam("email") @DefaultValue("") String email,
            @FormParam("note") @DefaultValue("") String note, @FormParam(Csrf.FIELD) String csrf,
            @Context HttpServletRequest request, @Context HttpServletResponse response) {
        Viewer operator = Operator.requireForm(web, request, csrf);
        try {
            boolean revoked = billing.revoke(email, note, "admin:" + operator.email());
            return revoked ? done("The grant of " + email.strip() + " has ended.")
                    : page(request, response, null, email.strip() + " has no grant running.", 422);
        } catch (Billing.Refused e) {
            return page(request, response, null, e.getMessage(), 422);
        }
    }

    private Response page(HttpServletRequest request, HttpServletResponse response, String notice, String problem,
            int status) {
        return web.render(request, response, new MembersPage(web.layout(), billing.members(), notice, problem),
                status);
    }

    private static Response done(String notice) {
        return Response.seeOther(URI.create("/admin/members?notice="
                + URLEncoder.encode(notice, StandardCharsets.UTF_8))).build();
    }
}
