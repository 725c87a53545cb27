package dev.athanor.accounts;

import dev.athanor.platform.web.Cookies;
import dev.athanor.platform.web.Viewer;
import dev.athanor.platform.web.Viewers;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/** Tells who makes a request from its session cookie: the accounts context's answer to {@link Viewers}. */
final class AccountViewers implements Viewers {

    static final String SESSION = "session";
    private static final String ATTRIBUTE = AccountViewers.class.getName();

    private final Accounts accounts;
    private final Cookies cookies;

    AccountViewers(Accounts accounts, Cookies cookies) {
        this.accounts = accounts;
        this.cookies = cookies;
    }

    @Override
    public Viewer resolve(HttpServletRequest request) {
        Object cached = request.getAttribute(ATTRIBUTE);
        if (cached instanceof Viewer viewer) {
            return viewer;
        }
        Viewer viewer = cookies.read(request, SESSION).flatMap(accounts::session)
                .map(live -> new Viewer(Optional.of(live.learnerId()), live.email(), live.verified(), live.operator()))
                .orElse(Viewer.ANONYMOUS);
        request.setAttribute(ATTRIBUTE, viewer);
        return viewer;
    }

    @Override
    public boolean isOperator(org.eclipse.jetty.server.Request request) {
        String name = cookies.name(SESSION);
        return org.eclipse.jetty.server.Request.getCookies(request).stream()
                .filter(cookie -> cookie.getName().equals(name)).findFirst()
                .flatMap(cookie -> accounts.session(cookie.getValue())).map(Sessions.Live::operator).orElse(false);
    }
}
