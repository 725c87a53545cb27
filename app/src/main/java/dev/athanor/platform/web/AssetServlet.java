package dev.athanor.platform.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * Serves {@link StaticAssets} from memory: immutable for a year, the pre-compressed bytes to clients that accept gzip,
 * 304 to a client that already has the file, and the site's 404 page for any other name.
 */
final class AssetServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private final transient StaticAssets assets;

    AssetServlet(StaticAssets assets) {
        this.assets = assets;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = request.getPathInfo() == null ? "" : request.getPathInfo().substring(1);
        Optional<StaticAssets.Asset> found = assets.find(name);
        if (found.isEmpty()) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        StaticAssets.Asset asset = found.get();
        response.setHeader("Cache-Control", IMMUTABLE);
        response.setHeader("ETag", asset.etag());
        if (asset.gzipped().isPresent()) {
            response.setHeader("Vary", "Accept-Encoding");
        }
        if (asset.etag().equals(request.getHeader("If-None-Match"))) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        response.setContentType(asset.contentType());
        byte[] body = asset.bytes();
        if (asset.gzipped().isPresent() && AcceptEncoding.allowsGzip(request.getHeader("Accept-Encoding"))) {
            body = asset.gzipped().get();
            response.setHeader("Content-Encoding", "gzip");
        }
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
