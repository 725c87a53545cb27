package dev.athanor.backup.retention;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of applying a {@link RetentionPolicy}: a decision per backup, newest first, or a refusal that deletes
 * nothing at all.
 */
public record RetentionPlan(List<RetentionDecision> decisions, Optional<String> refusal) {

    /** The backups to delete; none when the plan was refused. */
    public List<RetentionCandidate> deletions() {
        if (refusal.isPresent()) {
            return List.of();
        }
        return decisions.stream().filter(decision -> !decision.keep()).map(RetentionDecision::backup).toList();
    }

    /** The backups kept: all of them when the plan was refused. */
    public List<RetentionCandidate> kept() {
        if (refusal.isPresent()) {
            return decisions.stream().map(RetentionDecision::backup).toList();
        }
        return decisions.stream().filter(RetentionDecision::keep).map(RetentionDecision::backup).toList();
    }
}
