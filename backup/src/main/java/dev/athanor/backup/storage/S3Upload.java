package dev.athanor.backup.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * One multipart upload fed as a stream. Bytes fill a part buffer; a full buffer is handed to an uploader thread and
 * the writer takes the next free one, waiting when all are in flight. There are {@code concurrency + 1} buffers in
 * all, reused, so memory is bounded by them. Each part's body can be read again, so the SDK can retry it. The upload
 * is created by the first uploader task, so the writer fills the first part meanwhile (pg_dump is not held back by
 * the round trip, nor by the client's set-up).
 */
final class S3Upload extends StorageUpload {

    private static final Logger LOGGER = LoggerFactory.getLogger(S3Upload.class);

    private final Supplier<S3Client> client;
    private final String bucket;
    private final String key;
    private final CompletableFuture<String> uploadId;
    private final ExecutorService uploaders;
    private final BlockingQueue<byte[]> freeBuffers;
    private final List<CompletableFuture<CompletedPart>> parts = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private byte[] current;
    private int filled;
    private long written;
    private boolean ended;
    private boolean completed;

    private S3Upload(Supplier<S3Client> client, String bucket, String key, int partSize, int concurrency) {
        this.client = client;
        this.bucket = bucket;
        this.key = key;
        this.uploaders = Executors.newFixedThreadPool(concurrency, runnable -> {
            Thread thread = new Thread(runnable, "s3-part-upload");
            thread.setDaemon(true);
            return thread;
        });
        this.uploadId = CompletableFuture.supplyAsync(() -> {
            try {
                return client.get().createMultipartUpload(request -> request.bucket(bucket).key(key)
                        .contentType("application/octet-stream")).uploadId();
            } catch (SdkException e) {
                StorageException failed = new StorageException("could not start uploading s3://" + bucket + "/"
                        + key + ": " + e.getMessage(), e);
                failure.compareAndSet(null, failed);
                throw new CompletionException(failed);
            }
        }, uploaders);
        this.freeBuffers = new ArrayBlockingQueue<>(concurrency + 1);
        for (int i = 0; i < concurrency; i++) {
            freeBuffers.add(new byte[partSize]);
        }
        this.current = new byte[partSize];
    }

    /** Starts creating the upload; a failure to create it shows at the first write or completion after it. */
    static S3Upload start(Supplier<S3Client> client, String bucket, String key, int partSize, int concurrency) {
        return new S3Upload(client, bucket, key, partSize, concurrency);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (ended) {
            throw new IOException("the upload of s3://" + bucket + "/" + key + " has ended");
        }
        rethrowFailure();
        int position = offset;
        int remaining = length;
        while (remaining > 0) {
            int chunk = Math.min(remaining, current.length - filled);
            System.arraycopy(bytes, position, current, filled, chunk);
            filled += chunk;
            position += chunk;
            remaining -= chunk;
            written += chunk;
            if (filled == current.length) {
                sendCurrentPart();
            }
        }
    }

    @Override
    public long complete() throws StorageException {
        try {
            if (filled > 0 || parts.isEmpty()) {
                sendCurrentPart();
            }
            List<CompletedPart> uploaded = new ArrayList<>();
            for (CompletableFuture<CompletedPart> part : parts) {
                uploaded.add(part.join());
            }
            uploaded.sort(Comparator.comparingInt(CompletedPart::partNumber));
            // The SDK turns a CompleteMultipartUpload answered with 200 and an <Error> body into an exception (and
            // retries it); the size check below catches any other way of not storing what was sent.
            String id = uploadId.join();
            client.get().completeMultipartUpload(request -> request.bucket(bucket).key(key).uploadId(id)
                    .multipartUpload(upload -> upload.parts(uploaded)));
            this.completed = true;
            ended = true;
            HeadObjectResponse head = client.get().headObject(request -> request.bucket(bucket).key(key));
            Long stored = head.contentLength();
            if (stored == null || stored != written) {
                deleteQuietly();
                throw new StorageException("s3://" + bucket + "/" + key + " holds " + stored
                        + " bytes after the upload, " + written + " were sent; the object was deleted");
            }
            return written;
        } catch (IOException | CompletionException | SdkException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            abort();
            if (cause instanceof StorageException storage) {
                throw storage;
            }
            throw new StorageException("could not upload s3://" + bucket + "/" + key + ": " + cause.getMessage(),
                    cause);
        } finally {
            uploaders.shutdownNow();
        }
    }

    @Override
    public void abort() {
        if (completed || (ended && parts.isEmpty())) {
            return;
        }
        ended = true;
        String id;
        try {
            // An upload still being created is waited for (one request, bounded by its timeout), or its parts
            // would be left behind unseen.
            id = uploadId.join();
        } catch (CompletionException | CancellationException e) {
            uploaders.shutdownNow();
            parts.clear();
            return;
        }
        uploaders.shutdownNow();
        try {
            client.get().abortMultipartUpload(request -> request.bucket(bucket).key(key).uploadId(id));
        } catch (SdkException e) {
            // Parts of an upload that could not be aborted cost storage until a lifecycle rule or a later abort
            // removes them; they are never listed as an object.
            LOGGER.warn("Could not abort the multipart upload of s3://{}/{} ({}): {}", bucket, key, uploadId,
                    e.getMessage());
        }
        parts.clear();
    }

    @Override
    public long written() {
        return written;
    }

    @Override
    public void close() {
        if (!ended) {
            abort();
        }
    }

    private void sendCurrentPart() throws IOException {
        rethrowFailure();
        byte[] buffer = current;
        int length = filled;
        int partNumber = parts.size() + 1;
        parts.add(CompletableFuture.supplyAsync(() -> {
            try {
                if (failure.get() != null) {
                    throw new IllegalStateException("an earlier part failed");
                }
                String id = uploadId.join();
                UploadPartResponse response = client.get().uploadPart(request -> request.bucket(bucket).key(key)
                        .uploadId(id).partNumber(partNumber).contentLength((long) length),
                        RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length), length,
                                "application/octet-stream"));
                return CompletedPart.builder().partNumber(partNumber).eTag(response.eTag()).build();
            } catch (CompletionException e) {
                failure.compareAndSet(null, e.getCause());
                throw e;
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
                throw e;
            } finally {
                freeBuffers.add(buffer);
            }
        }, uploaders));
        try {
            current = freeBuffers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a part upload");
        }
        filled = 0;
        rethrowFailure();
    }

    private void rethrowFailure() throws IOException {
        Throwable failed = failure.get();
        if (failed instanceof StorageException) {
            throw new IOException(failed.getMessage(), failed);
        }
        if (failed != null) {
            throw new IOException("part upload failed after retries: " + failed.getMessage(), failed);
        }
    }

    private void deleteQuietly() {
        try {
            client.get().deleteObject(request -> request.bucket(bucket).key(key));
        } catch (SdkException e) {
            LOGGER.warn("Could not delete the incomplete s3://{}/{}: {}", bucket, key, e.getMessage());
        }
    }
}
