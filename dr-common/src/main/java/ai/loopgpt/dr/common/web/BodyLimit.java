package ai.loopgpt.dr.common.web;

import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.common.problem.ProblemType;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * quarkus.http.limits.max-body-size for a body whose length is not declared (chunked): counted as the
 * resource reads it and refused with a 413 problem once past the limit. (A declared length over the
 * limit is refused before reading by {@link EdgeErrors}.) Quarkus' own check, which answers with an
 * empty 413, is moved out of the way by {@link EdgeErrors} for such bodies.
 */
@Provider
public class BodyLimit implements ReaderInterceptor {

    /** quarkus.http.limits.max-body-size in bytes, read at run time (it is a run-time setting). */
    static long limit() {
        return ConfigProvider.getConfig()
                .getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class)
                .map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        long limit = limit();
        if (limit != Long.MAX_VALUE) {
            context.setInputStream(new Bounded(context.getInputStream(), limit));
        }
        return context.proceed();
    }

    static String detail(long limit) {
        return "The request body is larger than the " + limit + " bytes this service accepts.";
    }

    private static final class Bounded extends FilterInputStream {
        private final long limit;
        private long read;

        Bounded(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > limit) {
                throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, detail(limit));
            }
        }
    }
}
