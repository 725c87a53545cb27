package dev.athanor.accounts;

import dev.athanor.platform.web.Layout;
import dev.athanor.platform.web.PageView;
import java.util.List;

/** The accounts pages' views. Every form posts back with the page's form token. */
final class AccountViews {

    private AccountViews() {
    }

    /** A form with values kept and one problem shown next to its field. */
    abstract static class Form extends PageView {
        public final String email;
        public final String problemField;
        public final String problem;

        Form(String template, Layout layout, String title, String email, Accounts.Problem problem) {
            super(template, layout, title);
            this.email = email == null ? "" : email;
            this.problemField = problem == null ? null : problem.field();
            this.problem = problem == null ? null : problem.message();
        }

        public boolean isEmailProblem() {
            return "email".equals(problemField);
        }

        public boolean isPasswordProblem() {
            return "password".equals(problemField);
        }

        public boolean isCurrentProblem() {
            return "current".equals(problemField);
        }

        public boolean isCodeProblem() {
            return "code".equals(problemField);
        }
    }

    static final class SignUp extends Form {
        SignUp(Layout layout, String email, Accounts.Problem problem) {
            super("signup.mustache", layout, "Sign up", email, problem);
        }
    }

    static final class SignIn extends Form {
        public final String next;

        SignIn(Layout layout, String email, Accounts.Problem problem, String next) {
            super("login.mustache", layout, "Sign in", email, problem);
            this.next = next;
        }
    }

    static final class ResetRequest extends Form {
        ResetRequest(Layout layout, String email, Accounts.Problem problem) {
            super("reset-request.mustache", layout, "Reset your password", email, problem);
        }
    }

    static final class ResetForm extends Form {
        public final String token;

        ResetForm(Layout layout, String token, Accounts.Problem problem) {
            super("reset.mustache", layout, "Choose a new password", "", problem);
            this.token = token;
        }
    }

    /** "Check your mail": the same page whether or not the address has an account. */
    static final class CheckMail extends PageView {
        public final String message;

        CheckMail(Layout layout, String message) {
            super("check-mail.mustache", layout, "Check your mail");
            this.message = message;
        }
    }

    /** A link from a mail, confirmed with a button (a GET never changes anything; mail scanners follow links). */
    static final class Confirm extends PageView {
        public final String heading;
        public final String explanation;
        public final String action;
        public final String button;
        public final boolean valid;

        Confirm(Layout layout, String heading, String explanation, String action, String button, boolean valid) {
            super("confirm.mustache", layout, heading);
            this.heading = heading;
            this.explanation = explanation;
            this.action = action;
            this.button = button;
            this.valid = valid;
        }
    }

    /** A plain outcome: done, or the link was no good. */
    static final class Message extends PageView {
        public final String heading;
        public final String message;

        Message(Layout layout, String heading, String message) {
            super("message.mustache", layout, heading);
            this.heading = heading;
            this.message = message;
        }
    }

    /** The account page. */
    static final class AccountPage extends Form {
        public final Accounts.Account account;
        public final List<Sessions.Listed> sessions;
        public final String notice;
        public final boolean newsletter;
        public final TwoFactor.Status twoFactor;

        AccountPage(Layout layout, Accounts.Account account, List<Sessions.Listed> sessions, String notice,
                Accounts.Problem problem, boolean newsletter, TwoFactor.Status twoFactor) {
            super("account.mustache", layout, "Your account", account.email(), problem);
            this.account = account;
            this.sessions = sessions;
            this.notice = notice;
            this.newsletter = newsletter;
            this.twoFactor = twoFactor;
        }
    }

    /** The second step of signing in: a code from the authenticator, or a recovery code. */
    static final class CodeEntry extends Form {
        public final String next;

        CodeEntry(Layout layout, String next, Accounts.Problem problem) {
            super("login-code.mustache", layout, "Enter your code", "", problem);
            this.next = next;
        }

        public boolean isRecoveryProblem() {
            return "recovery".equals(problemField);
        }
    }

    /** Two-factor settings: turn it on (the key and its QR code while enrolling), renew recovery codes, turn off. */
    static final class TwoFactorPage extends Form {
        public final TwoFactor.Status status;
        public final String secret;
        public final String qrCode;
        public final String notice;

        TwoFactorPage(Layout layout, String email, TwoFactor.Status status,
                java.util.Optional<SecondFactors.Enrolment> enrolment, String notice, Accounts.Problem problem) {
            super("two-factor.mustache", layout, "Two-factor sign-in", email, problem);
            this.status = status;
            this.secret = enrolment.map(SecondFactors.Enrolment::secret).orElse(null);
            this.qrCode = enrolment.map(SecondFactors.Enrolment::qrCode).orElse(null);
            this.notice = notice;
        }

        public boolean isEnrolling() {
            return secret != null;
        }

        /** An operator account without a second factor: the operator pages wait for it. */
        public boolean isMustEnrol() {
            return status.required() && !status.enabled();
        }

        public boolean isRenewProblem() {
            return "renew".equals(problemField);
        }

        public boolean isDisableProblem() {
            return "disable".equals(problemField);
        }
    }

    /** Recovery codes, shown once: after enrolment, and when renewed. */
    static final class RecoveryCodesPage extends PageView {
        public final List<String> codes;
        public final String next;

        RecoveryCodesPage(Layout layout, List<String> codes, String next) {
            super("recovery-codes.mustache", layout, "Your recovery codes");
            this.codes = codes;
            this.next = next;
        }
    }
}
