package ai.loopgpt.dr.common.logging;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Log lines say what callers sent without letting it act on a terminal or a log reader: control
 * characters (NUL, ANSI escapes, CR and LF that would forge a line of their own) in a message are
 * written as Java-style escapes such as {@code \\u001b}. Stack traces are left alone. On for every service
 * ({@code quarkus.log.console.filter=printable}).
 */
@LoggingFilter(name = "printable")
public final class PrintableLogFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        String formatted = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        if (formatted != null && needsEscaping(formatted)) {
            String escaped = escape(formatted);
            if (record instanceof ExtLogRecord ext) {
                ext.setMessage(escaped, ExtLogRecord.FormatStyle.NO_FORMAT);
            } else {
                record.setMessage(escaped);
            }
            record.setParameters(null);
        }
        return true;
    }

    static boolean needsEscaping(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\t') {
                return true;
            }
        }
        return false;
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) && c != '\t' ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}
