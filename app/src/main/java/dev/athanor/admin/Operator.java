package dev.athanor.admin;

import dev.athanor.platform.web.Viewer;
import dev.athanor.platform.web.Web;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.NotFoundException;

/**
 * Lets operators in: a signed-in account with the operator role and a second factor (the accounts context counts an
 * operator without one as a learner until it is enrolled). Anyone not signed in is sent to sign in; a signed-in
 * learner gets 404, as if the pages did not exist.
 */
final class Operator {

    private Operator() {
    }

    static Viewer require(Web web, HttpServletRequest request) {
        Viewer viewer = web.signedIn(request);
        if (!viewer.operator()) {
            throw new NotFoundException();
        }
        return viewer;
    }

    /** An operator's form: the operator, and the form token checked. */
    static Viewer requireForm(Web web, HttpServletRequest request, String csrf) {
        web.csrf().check(request, csrf);
        return require(web, request);
    }
}
