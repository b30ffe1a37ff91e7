package ai.loopgpt.dr.status.page;

import ai.loopgpt.dr.status.service.ResponseTimes.Bucket;
import ai.loopgpt.dr.status.service.ResponseTimes.Period;
import java.util.List;
import java.util.Locale;

/**
 * A probed component's response times over a period as a small SVG step chart, rendered with the
 * snapshot and written into the page (its CSP allows no script, and inline SVG needs none): the
 * average of each bucket as a line, the highest as a fainter one, buckets without answers shaded and
 * the lines broken there. It scales to any width ({@code viewBox}, 100 % wide), and carries its numbers
 * in words as its text alternative ({@code role="img"}, {@code <title>} and {@code <desc>}).
 */
final class ResponseTimeChart {

    static final int WIDTH = 600;
    static final int HEIGHT = 100;
    /** Room above the top of the scale, so that the highest line stays visible. */
    static final int TOP = 4;

    /**
     * A rendered chart and what the page prints around it: its text alternative ({@code summary}), a
     * short caption ("average 142 ms, highest 610 ms") and the top of its scale.
     */
    record Chart(String svg, String summary, String caption, long scaleMillis) {
    }

    private ResponseTimeChart() {
    }

    /** The chart of {@code buckets} (oldest first, one per bucket of {@code period}); {@code id} is unique in the page. */
    static Chart of(String id, String componentName, Period period, List<Bucket> buckets) {
        long samples = buckets.stream().mapToLong(Bucket::samples).sum();
        long total = buckets.stream().mapToLong(Bucket::totalMillis).sum();
        long highest = buckets.stream().mapToLong(Bucket::maxMillis).max().orElse(0);
        long empty = buckets.stream().filter(Bucket::empty).count();
        String summary = summary(period, samples, total, highest, empty, buckets.size());
        long scale = scale(highest);
        String title = componentName + " response time, " + period.words();
        String safeId = Svg.text(id);
        StringBuilder svg = new StringBuilder(2048).append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"rt\" viewBox=\"0 0 %d %d\" role=\"img\""
                        + " aria-labelledby=\"%s-title %s-desc\">", WIDTH, HEIGHT, safeId, safeId))
                .append("<title id=\"").append(safeId).append("-title\">").append(Svg.text(title)).append("</title>")
                .append("<desc id=\"").append(safeId).append("-desc\">").append(Svg.text(summary)).append("</desc>");
        double step = (double) WIDTH / buckets.size();
        gaps(svg, buckets, step);
        svg.append("<path d=\"M0 ").append(TOP).append('H').append(WIDTH).append("M0 ").append(HEIGHT - 0.5)
                .append('H').append(WIDTH).append("\" stroke=\"#d0d7de\" fill=\"none\"/>");
        if (samples > 0) {
            svg.append("<path class=\"max\" d=\"").append(steps(buckets, step, scale, true))
                    .append("\" stroke=\"#8c959f\" stroke-width=\"1\" fill=\"none\"/>");
            svg.append("<path class=\"avg\" d=\"").append(steps(buckets, step, scale, false))
                    .append("\" stroke=\"#0969da\" stroke-width=\"2\" fill=\"none\"/>");
        }
        String caption = samples == 0 ? "no data" : "average " + Math.round((double) total / samples) + " ms, highest "
                + highest + " ms";
        return new Chart(svg.append("</svg>").toString(), summary, caption, scale);
    }

    /** The numbers in words: "Average 142 ms over the last 24 hours, highest 610 ms; no answer in 3 of 96 buckets." */
    static String summary(Period period, long samples, long totalMillis, long highest, long empty, int buckets) {
        if (samples == 0) {
            return "No response times measured over " + period.words() + ".";
        }
        String text = "Average " + Math.round((double) totalMillis / samples) + " ms over " + period.words()
                + ", highest " + highest + " ms";
        if (empty == 0) {
            return text + ".";
        }
        String unit = period == Period.LAST_24_HOURS ? "quarter-hours" : "days";
        return text + "; no data for " + empty + " of the " + buckets + " " + unit + ".";
    }

    /** The top of the scale: the highest value rounded up to 1, 2 or 5 times a power of ten (at least 10 ms). */
    static long scale(long highest) {
        long power = 1;
        while (true) {
            for (long m : new long[] {1, 2, 5}) {
                if (m * power >= Math.max(highest, 10)) {
                    return m * power;
                }
            }
            power *= 10;
        }
    }

    /** One shaded rectangle per run of buckets without answers. */
    private static void gaps(StringBuilder svg, List<Bucket> buckets, double step) {
        int i = 0;
        while (i < buckets.size()) {
            if (!buckets.get(i).empty()) {
                i++;
                continue;
            }
            int j = i;
            while (j < buckets.size() && buckets.get(j).empty()) {
                j++;
            }
            svg.append("<rect class=\"gap\" x=\"").append(coordinate(i * step)).append("\" width=\"")
                    .append(coordinate((j - i) * step)).append("\" height=\"").append(HEIGHT).append("\" fill=\"#eaeef2\"/>");
            i = j;
        }
    }

    /** A step line through the buckets' averages (or highest values), lifted where there were no answers. */
    private static String steps(List<Bucket> buckets, double step, long scale, boolean highest) {
        StringBuilder d = new StringBuilder(buckets.size() * 12);
        boolean drawing = false;
        for (int i = 0; i < buckets.size(); i++) {
            Bucket b = buckets.get(i);
            if (b.empty()) {
                drawing = false;
                continue;
            }
            double value = highest ? b.maxMillis() : (double) b.totalMillis() / b.samples();
            String y = coordinate(HEIGHT - value / scale * (HEIGHT - TOP));
            d.append(drawing ? "V" : "M" + coordinate(i * step) + " ").append(y).append('H').append(coordinate((i + 1) * step));
            drawing = true;
        }
        return d.toString();
    }

    private static String coordinate(double value) {
        long tenths = Math.round(value * 10);
        return tenths % 10 == 0 ? Long.toString(tenths / 10) : String.format(Locale.ROOT, "%.1f", tenths / 10.0);
    }
}
