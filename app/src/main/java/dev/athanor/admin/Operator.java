package dev.athanor.admin;

import dev.athanor.platform.web.Viewer;
import dev.athanor.platform.web.Web;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.NotFoundException;

/**
 * Lets operators in: a signed-in account with the operator role and a second factor (the accounts context counts an
 * operator without one as a learner until it is enrolled). Anyone else, signed in or not, gets 404, as if the pages
 * did not exist (operators sign in at {@code /login} like everyone; the area is not advertised).
 */
final class Operator {

    private Operator() {
    }

    /** Whether {@code viewer} may see the operator pages. */
    static boolean admits(Viewer viewer) {
        return viewer.isSignedIn() && viewer.operator();
    }

    static Viewer require(Web web, HttpServletRequest request) {
        Viewer viewer = web.viewers().resolve(request);
        if (!admits(viewer)) {
            throw new NotFoundException();
        }
        return viewer;
    }

    /** An operator's form: the operator, and the form token checked. */
    static Viewer requireForm(Web web, HttpServletRequest request, String csrf) {
        Viewer viewer = require(web, request);
        web.csrf().check(request, csrf);
        return viewer;
    }
}
