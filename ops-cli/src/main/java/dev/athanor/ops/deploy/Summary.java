package dev.athanor.ops.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;

/** The last words of a deploy or rollback: one line for a person, or one JSON object for a script. */
final class Summary {

    private Summary() {
    }

    static void print(PrintWriter out, boolean json, String verb, Release release, Handover.Timings timings,
            List<String> removed, long nanos) {
        double seconds = nanos / 1e9;
        if (json) {
            ObjectNode node = ReleaseStore.JSON.createObjectNode();
            node.put("release", release.name());
            node.put("slot", timings.slot());
            timings.replaced().ifPresent(replaced -> node.put("replaced", replaced));
            node.put("seconds", Math.round(seconds * 10) / 10.0);
            node.put("readySeconds", timings.ready().toMillis() / 1000.0);
            node.put("warmupRequests", timings.warmRequests());
            node.put("switchSeconds", timings.switched().toMillis() / 1000.0);
            node.put("drainSeconds", timings.drained().toMillis() / 1000.0);
            node.putPOJO("removed", removed);
            out.println(node);
        } else {
            out.printf(java.util.Locale.ROOT, "%s %s in %.1f s (ready in %s, warmed with %d requests, switched in %s"
                    + "%s)%s%n", verb, release.name(), seconds, Handover.seconds(timings.ready()),
                    timings.warmRequests(), Handover.seconds(timings.switched()),
                    timings.replaced().map(old -> ", " + old + " drained in " + Handover.seconds(timings.drained()))
                            .orElse(""),
                    removed.isEmpty() ? "" : "; removed " + String.join(", ", removed));
        }
        out.flush();
    }
}
