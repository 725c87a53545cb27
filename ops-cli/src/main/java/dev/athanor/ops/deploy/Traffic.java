package dev.athanor.ops.deploy;

import java.util.List;

/** Where nginx sends the site's traffic, and whether it answers with the maintenance page instead. */
interface Traffic {

    /** The servers ({@code host:port}) nginx's upstream names now; empty before the first deploy. */
    List<String> upstream() throws DeployException;

    /** Points nginx at this one server: the include rewritten, nginx's check passed, nginx reloaded. */
    void switchTo(String server) throws DeployException;

    /** Turns the maintenance page on for everyone but the operator's addresses. */
    void maintenanceOn(String message) throws DeployException;

    void maintenanceOff() throws DeployException;

    boolean maintenance() throws DeployException;
}
