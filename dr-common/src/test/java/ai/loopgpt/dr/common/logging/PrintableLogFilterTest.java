package ai.loopgpt.dr.common.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

class PrintableLogFilterTest {

    @Test
    void controlCharactersFromCallersAreEscapedAndPlainLinesAreUntouched() {
        ExtLogRecord forged = new ExtLogRecord(Level.INFO, "Incident %s opened: %s", ExtLogRecord.FormatStyle.PRINTF,
                PrintableLogFilterTest.class.getName());
        forged.setParameters(new Object[] {"abc", "Orders\u001b[31m red\r\n2026-11-28 INFO fake line\u0000"});
        assertTrue(new PrintableLogFilter().isLoggable(forged));
        assertEquals("Incident abc opened: Orders\\u001b[31m red\\u000d\\u000a2026-11-28 INFO fake line\\u0000",
                forged.getFormattedMessage());

        ExtLogRecord plain = new ExtLogRecord(Level.INFO, "Backup %s succeeded\tin %d s", ExtLogRecord.FormatStyle.PRINTF,
                PrintableLogFilterTest.class.getName());
        plain.setParameters(new Object[] {"b1", 3});
        assertTrue(new PrintableLogFilter().isLoggable(plain));
        assertEquals("Backup b1 succeeded\tin 3 s", plain.getFormattedMessage());
    }
}
