package dev.athanor.ops.nginx;

/** The nginx whose includes ops rewrites: the system's (systemd mode) or one ops runs itself (local mode). */
interface NginxServer {

    /** Tests the configuration as it is on disk now; fails with nginx's own error lines. */
    void test() throws NginxException;

    /** Makes nginx read its configuration again; returns once new requests are served by it. */
    void reload() throws NginxException;
}
