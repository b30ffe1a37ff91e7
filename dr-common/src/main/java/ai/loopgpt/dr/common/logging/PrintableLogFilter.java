package ai.loopgpt.dr.common.logging;

import ai.loopgpt.dr.text.Printable;
import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Log lines say what callers sent without letting it act on a terminal or a log reader: control
 * characters (NUL, ANSI escapes, CR and LF that would forge a line of their own, U+2028 and U+2029) in
 * a message are written as Java-style escapes such as {@code \\u001b}, by the suite's one rule
 * ({@link Printable#LOG_LINE}: tabs kept, nothing cut). Stack traces are left alone. On for every service
 * ({@code quarkus.log.console.filter=printable}).
 */
@LoggingFilter(name = "printable")
public final class PrintableLogFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        String formatted = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        if (formatted != null && !Printable.LOG_LINE.isPrintable(formatted)) {
            String escaped = Printable.LOG_LINE.escape(formatted);
            if (record instanceof ExtLogRecord ext) {
                ext.setMessage(escaped, ExtLogRecord.FormatStyle.NO_FORMAT);
            } else {
                record.setMessage(escaped);
            }
            record.setParameters(null);
        }
        return true;
    }
}
