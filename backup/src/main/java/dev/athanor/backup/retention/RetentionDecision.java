package dev.athanor.backup.retention;

import java.util.List;

/** What retention does with one backup, and why. */
public record RetentionDecision(RetentionCandidate backup, boolean keep, List<String> reasons) {
}
