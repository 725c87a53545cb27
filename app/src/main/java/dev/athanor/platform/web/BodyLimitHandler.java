package dev.athanor.platform.web;

import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Refuses request bodies over their {@link BodyLimits} with 413 before they reach the heap: a declared
 * {@code Content-Length} over the limit is answered at once without reading a byte (the connection then closes), and a
 * body without one (chunked) fails as soon as the bytes read pass the limit. In front of everything else on the
 * server, so no part of the framework buffers what it should not.
 */
final class BodyLimitHandler extends Handler.Wrapper {

    private final BodyLimits limits;

    BodyLimitHandler(BodyLimits limits) {
        this.limits = limits;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long limit = limits.limitFor(request);
        long declared = request.getLength();
        if (declared > limit) {
            Response.writeError(request, response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, tooLarge(limit));
            return true;
        }
        return super.handle(declared >= 0 ? request : new Counted(request, limit), response, callback);
    }

    static String tooLarge(long limit) {
        return "The request body is larger than " + limit + " bytes.";
    }

    /** A body of unknown length that fails once more than {@code limit} bytes have been read. */
    private static final class Counted extends Request.Wrapper {

        private final long limit;
        private long read;

        Counted(Request request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk chunk = super.read();
            if (chunk == null || Content.Chunk.isFailure(chunk)) {
                return chunk;
            }
            read += chunk.remaining();
            if (read > limit) {
                chunk.release();
                return Content.Chunk.from(new HttpException.RuntimeException(HttpStatus.PAYLOAD_TOO_LARGE_413,
                        tooLarge(limit)), true);
            }
            return chunk;
        }
    }
}
