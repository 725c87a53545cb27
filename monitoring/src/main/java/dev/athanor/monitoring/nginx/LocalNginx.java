package dev.athanor.monitoring.nginx;

import java.nio.file.Path;

/**
 * The main configuration of the nginx that ops runs itself in local mode ({@code deploy.mode: local}), so a laptop
 * runs the same release hand-over as a server: plain http on loopback, the same includes (upstream, maintenance) and
 * the same locations, headers and maintenance handling as the site's https server, with its pid file, logs and
 * temporary files all under one prefix directory.
 *
 * @param site the site as the server's nginx serves it
 * @param prefix nginx's prefix ({@code deploy.directory/nginx}): {@code nginx.pid}, {@code logs/}, {@code temp/}
 * @param port the loopback port it listens on ({@code deploy.localPort})
 * @param asRoot whether ops runs as root: the workers then run as nobody, in root's group
 */
public record LocalNginx(NginxSite site, Path prefix, int port, boolean asRoot) {

    /** The configuration file's text. */
    public String render(String header) {
        StringBuilder conf = new StringBuilder();
        header.lines().forEach(line -> conf.append("# ").append(line).append('\n'));
        Path root = prefix.toAbsolutePath();
        conf.append(asRoot ? "\nuser nobody root;\n" : "\n").append("""
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                events {
                    worker_connections 1024;
                }

                http {
                    types {
                        text/html html; text/css css; text/javascript js; application/javascript mjs;
                        image/svg+xml svg; image/png png; image/jpeg jpg jpeg; image/webp webp; image/x-icon ico;
                        text/plain txt; application/json json; application/xml xml; video/mp4 mp4; font/woff2 woff2;
                    }
                    default_type application/octet-stream;
                    sendfile on;
                    server_tokens off;
                    client_body_temp_path %1$s/temp/client-body;
                    proxy_temp_path %1$s/temp/proxy;
                    fastcgi_temp_path %1$s/temp/fastcgi;
                    uwsgi_temp_path %1$s/temp/uwsgi;
                    scgi_temp_path %1$s/temp/scgi;

                %2$s
                    server {
                        listen 127.0.0.1:%3$d;
                        server_name _;
                        access_log %1$s/logs/access.log athanor_json;
                %4$s    }
                }
                """.formatted(root, indent(site.httpContext()), port,
                indent(site.serverBody(root.resolve("logs/access.log").toString()))));
        return conf.toString();
    }

    private static String indent(String text) {
        return text.lines().map(line -> line.isEmpty() ? "" : "    " + line)
                .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
    }
}
