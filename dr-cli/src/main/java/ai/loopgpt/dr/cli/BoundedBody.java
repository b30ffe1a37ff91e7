package ai.loopgpt.dr.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * An answer read into memory (as UTF-8 text) up to a limit: past it drctl stops reading and the
 * call fails with {@link TooLarge}, so no service, proxy or issuer can fill drctl's heap. A backup's
 * object is not read this way: {@code backup download} streams it to a file.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<String> {

    /** The most drctl reads of an answer: 16 MiB, far more than a page of 500 items. */
    static final int LIMIT = 16 * 1024 * 1024;

    private final int limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<String> body = new CompletableFuture<>();
    private Flow.Subscription subscription;

    private BoundedBody(int limit) {
        this.limit = limit;
    }

    /** Answers read up to {@code limit} bytes. */
    static HttpResponse.BodyHandler<String> handler(int limit) {
        return info -> new BoundedBody(limit);
    }

    /** Whether {@code e} (what the HTTP client threw) is an answer over the limit. */
    static boolean tooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TooLarge) {
                return true;
            }
        }
        return false;
    }

    /** "16 MiB". */
    static String describe(int limit) {
        return limit % (1024 * 1024) == 0 ? limit / (1024 * 1024) + " MiB" : Text.bytes(limit);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (body.isDone()) {
            return;
        }
        for (ByteBuffer buffer : buffers) {
            if ((long) bytes.size() + buffer.remaining() > limit) {
                subscription.cancel();
                body.completeExceptionally(new TooLarge(limit));
                return;
            }
            byte[] chunk = new byte[buffer.remaining()];
            buffer.get(chunk);
            bytes.write(chunk, 0, chunk.length);
        }
    }

    @Override
    public void onError(Throwable throwable) {
        body.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
        body.complete(bytes.toString(StandardCharsets.UTF_8));
    }

    @Override
    public CompletionStage<String> getBody() {
        return body;
    }

    /** An answer longer than the limit. */
    static final class TooLarge extends IOException {
        TooLarge(int limit) {
            super("the answer is larger than " + describe(limit));
        }
    }
}
