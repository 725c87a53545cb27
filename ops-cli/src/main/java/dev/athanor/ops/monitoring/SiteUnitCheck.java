package dev.athanor.ops.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.monitoring.deploy.DeployFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code ops doctor} checks of the site's unit on a server (deploy.mode systemd): the live instance's unit,
 * {@code athanor@SLOT.service} with the slot from {@code DIR/live.json} (written by ops deploy), enabled so that it
 * starts at boot. Nothing in local mode, where the instances are processes. Nothing here changes anything.
 */
final class SiteUnitCheck {

    /** The unit the site had before releases; configurations copied from then still name it in monitoring.units. */
    static final String FORMER_UNIT = "athanor.service";

    private static final String FIRST_DEPLOY = "tar xzf athanor-VERSION.tar.gz && OPS_JAR=$PWD/athanor-VERSION/ops.jar"
            + " ops deploy athanor-VERSION.tar.gz (docs/install.md)";

    private final DeployFactory deploy;

    SiteUnitCheck(DeployFactory deploy) {
        this.deploy = deploy;
    }

    List<Finding> findings() {
        if (deploy.getMode() != DeployFactory.Mode.SYSTEMD) {
            return List.of();
        }
        Path live = deploy.getDirectory().resolve("live.json");
        if (!Files.exists(live)) {
            return List.of(Finding.fail("systemd", "no release is live: " + live + " is missing", FIRST_DEPLOY));
        }
        String slot;
        try {
            JsonNode state = new ObjectMapper().readTree(live.toFile());
            slot = state == null ? "" : state.path("slot").asText("");
        } catch (IOException e) {
            return List.of(Finding.fail("systemd", live + " cannot be read: " + e.getMessage(), "ops releases shows"
                    + " what is installed; ops deploy ARCHIVE (or ops rollback) writes it anew"));
        }
        if (!slot.equals("a") && !slot.equals("b")) {
            return List.of(Finding.fail("systemd", live + " names no slot a or b (\"slot\": \"" + slot + "\")",
                    "ops releases shows what is installed; ops deploy ARCHIVE (or ops rollback) writes it anew"));
        }
        String unit = "athanor@" + slot + ".service";
        return List.of(ServerChecks.unitEnabled(unit, "cp /opt/athanor/current/systemd/athanor@.service"
                + " /etc/systemd/system/ && systemctl daemon-reload && "));
    }

    /** monitoring.units still naming the site's former unit: said once, with the fix, instead of checked. */
    static Finding formerUnit() {
        return Finding.warn("systemd", "monitoring.units names " + FORMER_UNIT + ", which releases replaced by"
                + " athanor@a.service and athanor@b.service (the live one is checked)", "remove " + FORMER_UNIT
                + " from monitoring.units in /etc/athanor/config.yml; systemctl disable " + FORMER_UNIT);
    }
}
