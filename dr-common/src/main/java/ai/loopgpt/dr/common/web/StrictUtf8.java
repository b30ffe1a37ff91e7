package ai.loopgpt.dr.common.web;

import ai.loopgpt.dr.common.problem.ProblemException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A JSON body must be well-formed UTF-8 (RFC 8259): an overlong form ({@code C0 AF} for "/"), a
 * surrogate, a stray continuation byte or a truncated sequence is refused with a 400 problem naming
 * its offset. Jackson alone decodes overlong forms leniently, so a value could hold what the caller
 * never visibly sent. The bytes pass through unchanged; only the check is added.
 */
@Provider
public class StrictUtf8 implements ReaderInterceptor {

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        MediaType type = context.getMediaType();
        if (type != null && ("json".equals(type.getSubtype()) || type.getSubtype().endsWith("+json"))) {
            context.setInputStream(new Checked(context.getInputStream()));
        }
        return context.proceed();
    }

    /** Checks UTF-8 as the bytes are read, across reads. */
    static final class Checked extends FilterInputStream {
        private final Utf8Check check = new Utf8Check();

        Checked(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b < 0) {
                end();
            } else {
                accept(b);
            }
            return b;
        }

        @Override
        public int read(byte[] bytes, int off, int len) throws IOException {
            int n = super.read(bytes, off, len);
            if (n < 0) {
                end();
            }
            for (int i = 0; i < n; i++) {
                accept(bytes[off + i] & 0xff);
            }
            return n;
        }

        private void accept(int b) {
            if (!check.accept(b)) {
                throw refused();
            }
        }

        private void end() {
            if (!check.complete()) {
                throw refused();
            }
        }

        private ProblemException refused() {
            return ProblemException.badRequest("The body is not valid UTF-8 (at byte " + check.offset()
                    + "): overlong forms, surrogates and cut sequences are refused; send the JSON as UTF-8.");
        }
    }

    /** The UTF-8 state machine of RFC 3629, section 4: one byte at a time. */
    static final class Utf8Check {
        private int pending;
        private int low = 0x80;
        private int high = 0xBF;
        private long offset;

        /** Whether {@code b} may come next; false marks the body invalid. */
        boolean accept(int b) {
            offset++;
            if (pending > 0) {
                if (b < low || b > high) {
                    return false;
                }
                pending--;
                low = 0x80;
                high = 0xBF;
                return true;
            }
            if (b < 0x80) {
                return true;
            }
            if (b >= 0xC2 && b <= 0xDF) {
                pending = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                pending = 2;
                low = b == 0xE0 ? 0xA0 : 0x80;
                high = b == 0xED ? 0x9F : 0xBF;
            } else if (b >= 0xF0 && b <= 0xF4) {
                pending = 3;
                low = b == 0xF0 ? 0x90 : 0x80;
                high = b == 0xF4 ? 0x8F : 0xBF;
            } else {
                return false;
            }
            return true;
        }

        /** Whether the bytes so far end on a whole character. */
        boolean complete() {
            return pending == 0;
        }

        long offset() {
            return offset;
        }
    }
}
