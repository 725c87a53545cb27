package dev.athanor.platform.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Optional;

/**
 * Who runs the embedded PostgreSQL's programs. PostgreSQL refuses to run as root, and a fresh server or a CI machine
 * is often used as root; then the programs run as {@code nobody} (through util-linux's {@code setpriv}) and the
 * cluster's directory belongs to that user. Otherwise they run as the current user and nothing changes hands.
 */
final class UnprivilegedUser {

    private static final String NOBODY = "nobody";

    private final Optional<Ids> ids;

    private UnprivilegedUser(Optional<Ids> ids) {
        this.ids = ids;
    }

    static UnprivilegedUser forCurrentProcess() {
        if (!isRoot()) {
            return new UnprivilegedUser(Optional.empty());
        }
        return new UnprivilegedUser(Optional.of(Ids.of(NOBODY)));
    }

    /**
     * Who runs the programs of the cluster in {@code directory}: as {@link #forCurrentProcess()}, except that root
     * runs an existing cluster as the user that owns it (a site run as athanor, maintained by {@code ops} as root),
     * so that nothing in it changes hands.
     */
    static UnprivilegedUser forCluster(Path directory) {
        if (!isRoot()) {
            return new UnprivilegedUser(Optional.empty());
        }
        try {
            Path data = directory.resolve("pgdata");
            if (Files.isDirectory(data)) {
                long uid = ((Number) Files.getAttribute(data, "unix:uid")).longValue();
                long gid = ((Number) Files.getAttribute(data, "unix:gid")).longValue();
                if (uid != 0) {
                    return new UnprivilegedUser(Optional.of(new Ids(uid, gid)));
                }
            }
        } catch (IOException | RuntimeException e) {
            // unreadable: as for a new cluster
        }
        return forCurrentProcess();
    }

    /** The words to put before a command so that it runs as this user; none when no change is needed. */
    List<String> prefix() {
        return ids.map(id -> List.of("setpriv", "--reuid=" + id.uid(), "--regid=" + id.gid(), "--clear-groups", "--"))
                .orElse(List.of());
    }

    /** Gives {@code path} to this user, so that PostgreSQL's programs may write it. */
    void takeOwnership(Path path) throws IOException {
        if (ids.isEmpty()) {
            return;
        }
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user = lookup.lookupPrincipalByName(Long.toString(ids.get().uid()));
        GroupPrincipal group = lookup.lookupPrincipalByGroupName(Long.toString(ids.get().gid()));
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(user);
        view.setGroup(group);
    }

    private static boolean isRoot() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
        } catch (LinkageError | RuntimeException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private record Ids(long uid, long gid) {
        /** Reads a user's ids from /etc/passwd, falling back to the conventional 65534 of nobody. */
        static Ids of(String name) {
            try {
                for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                    String[] fields = line.split(":");
                    if (fields.length > 3 && fields[0].equals(name)) {
                        return new Ids(Long.parseLong(fields[2]), Long.parseLong(fields[3]));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // Fall through to the conventional ids.
            }
            return new Ids(65534, 65534);
        }
    }
}
