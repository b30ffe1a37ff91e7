package ai.loopgpt.dr.status.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.status.service.ResponseTimes.Bucket;
import ai.loopgpt.dr.status.service.ResponseTimes.Period;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Response times to SVG, without a database: lines, gaps, scale and the text alternative. */
class ResponseTimeChartTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:07:00Z");

    /** The period's buckets ending now, all empty but those given as {index, samples, total, max}. */
    private static List<Bucket> buckets(Period period, long[]... filled) {
        Instant first = period.firstShown(NOW);
        List<Bucket> buckets = new ArrayList<>();
        for (int i = 0; i < period.buckets(); i++) {
            buckets.add(new Bucket(first.plus(period.bucket().multipliedBy(i)), 0, 0, 0));
        }
        for (long[] f : filled) {
            Bucket b = buckets.get((int) f[0]);
            buckets.set((int) f[0], new Bucket(b.start(), f[1], f[2], f[3]));
        }
        return buckets;
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static Element byClass(Document doc, String tag, String css) {
        NodeList nodes = doc.getElementsByTagName(tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            if (css.equals(e.getAttribute("class"))) {
                return e;
            }
        }
        return null;
    }

    @Test
    void theBucketsOfAPeriodEndWithTheOneHoldingNow() {
        assertEquals(Instant.parse("2026-12-06T12:00:00Z"), Period.LAST_24_HOURS.bucketOf(NOW));
        assertEquals(Instant.parse("2026-12-05T12:15:00Z"), Period.LAST_24_HOURS.firstShown(NOW));
        assertEquals(Instant.parse("2026-12-06T00:00:00Z"), Period.LAST_90_DAYS.bucketOf(NOW));
        assertEquals(Instant.parse("2026-09-08T00:00:00Z"), Period.LAST_90_DAYS.firstShown(NOW));
    }

    @Test
    void averagesAndHighestBecomeStepLinesScaledToTheHighest() throws Exception {
        // 96 quarter-hours: the first two answered (100 ms average, then 300 ms), the last one 200 ms with a 610 ms peak.
        List<Bucket> buckets = buckets(Period.LAST_24_HOURS, new long[] {0, 2, 200, 150}, new long[] {1, 1, 300, 300},
                new long[] {95, 3, 600, 610});
        ResponseTimeChart.Chart chart = ResponseTimeChart.of("rt-api-24h", "API", Period.LAST_24_HOURS, buckets);
        assertEquals(1000, chart.scaleMillis());
        Document doc = parse(chart.svg());
        Element svg = doc.getDocumentElement();
        assertEquals("0 0 600 100", svg.getAttribute("viewBox"), "scales to any width: a viewBox and no fixed width");
        assertFalse(svg.hasAttribute("width"));
        // y = 100 - value / 1000 * 96; each bucket 6.25 wide.
        assertEquals("M0 90.4H6.3V71.2H12.5M593.8 80.8H600", byClass(doc, "path", "avg").getAttribute("d"));
        assertEquals("M0 85.6H6.3V71.2H12.5M593.8 41.4H600", byClass(doc, "path", "max").getAttribute("d"));
        assertFalse(chart.svg().contains("<script"), "no script");
    }

    @Test
    void bucketsWithoutAnswersAreShadedGapsAndBreakTheLine() throws Exception {
        List<Bucket> buckets = buckets(Period.LAST_90_DAYS, new long[] {0, 10, 1000, 120}, new long[] {3, 10, 2000, 250},
                new long[] {89, 1, 100, 100});
        Document doc = parse(ResponseTimeChart.of("rt-api-90d", "API", Period.LAST_90_DAYS, buckets).svg());
        NodeList rects = doc.getElementsByTagName("rect");
        assertEquals(2, rects.getLength(), "one shaded rectangle per run of days without answers");
        Element first = (Element) rects.item(0);
        assertEquals("6.7", first.getAttribute("x"));
        assertEquals("13.3", first.getAttribute("width"), "days 1 and 2");
        Element second = (Element) rects.item(1);
        assertEquals("26.7", second.getAttribute("x"));
        assertEquals("566.7", second.getAttribute("width"), "days 4 to 88");
        String avg = byClass(doc, "path", "avg").getAttribute("d");
        assertEquals(3, avg.chars().filter(c -> c == 'M').count(), "three separate pieces of line: " + avg);
    }

    @Test
    void theTextAlternativeGivesTheNumbersInWords() throws Exception {
        List<Bucket> buckets = buckets(Period.LAST_24_HOURS, new long[] {0, 2, 200, 150}, new long[] {95, 3, 510, 610});
        ResponseTimeChart.Chart chart = ResponseTimeChart.of("rt-api-24h", "API", Period.LAST_24_HOURS, buckets);
        assertEquals("Average 142 ms over the last 24 hours, highest 610 ms; no data for 94 of the 96 quarter-hours.",
                chart.summary());
        Document doc = parse(chart.svg());
        Element svg = doc.getDocumentElement();
        assertEquals("img", svg.getAttribute("role"));
        assertEquals("rt-api-24h-title rt-api-24h-desc", svg.getAttribute("aria-labelledby"));
        assertEquals("API response time, the last 24 hours", doc.getElementsByTagName("title").item(0).getTextContent());
        assertEquals(chart.summary(), doc.getElementsByTagName("desc").item(0).getTextContent());
        assertEquals("average 142 ms, highest 610 ms", chart.caption());

        List<Bucket> full = new ArrayList<>();
        buckets(Period.LAST_90_DAYS).forEach(b -> full.add(new Bucket(b.start(), 1, 42, 42)));
        assertEquals("Average 42 ms over the last 90 days, highest 42 ms.",
                ResponseTimeChart.of("x", "API", Period.LAST_90_DAYS, full).summary());
    }

    @Test
    void noAnswersAtAllIsSaidAndDrawsNoLine() throws Exception {
        ResponseTimeChart.Chart chart = ResponseTimeChart.of("rt-api-90d", "API", Period.LAST_90_DAYS, buckets(Period.LAST_90_DAYS));
        assertEquals("No response times measured over the last 90 days.", chart.summary());
        assertEquals("no data", chart.caption());
        Document doc = parse(chart.svg());
        assertEquals(1, doc.getElementsByTagName("rect").getLength(), "one gap across the whole chart");
        assertEquals(null, byClass(doc, "path", "avg"));
    }

    @Test
    void aComponentsNameIsEscapedAsTheBadgesEscapeIt() throws Exception {
        String name = "Search <beta> & \"more\"\u001b[2J";
        ResponseTimeChart.Chart chart = ResponseTimeChart.of("rt-x-24h", name, Period.LAST_24_HOURS, buckets(Period.LAST_24_HOURS));
        assertTrue(chart.svg().contains("Search &lt;beta&gt; &amp; &quot;more&quot;\\u001b[2J response time"), chart.svg());
        assertEquals("Search <beta> & \"more\"\\u001b[2J response time, the last 24 hours",
                parse(chart.svg()).getElementsByTagName("title").item(0).getTextContent());
        assertTrue(Badges.svg(name, "Operational", "#2e7d32").contains("Search &lt;beta&gt; &amp; &quot;more&quot;\\u001b[2J"));
    }

    @ParameterizedTest
    @CsvSource({"0, 10", "7, 10", "10, 10", "11, 20", "142, 200", "610, 1000", "1000, 1000", "2001, 5000", "60000, 100000"})
    void theScaleEndsAtARoundNumberAboveTheHighest(long highest, long scale) {
        assertEquals(scale, ResponseTimeChart.scale(highest));
    }
}
