package ai.loopgpt.dr.helm;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Whether a schedule is a valid Kubernetes CronJob schedule: five fields of numbers, ranges, lists and steps. */
final class Cron {

    private static final int[][] BOUNDS = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}};
    private static final Pattern ITEM = Pattern.compile("(\\*|(\\d+)(?:-(\\d+))?)(?:/(\\d+))?");

    private Cron() {
    }

    static boolean valid(String schedule) {
        String[] fields = schedule.trim().split("\\s+");
        if (fields.length != 5) {
            return false;
        }
        for (int i = 0; i < 5; i++) {
            for (String item : fields[i].split(",", -1)) {
                Matcher m = ITEM.matcher(item);
                if (!m.matches()) {
                    return false;
                }
                if (m.group(2) != null) {
                    int from = Integer.parseInt(m.group(2));
                    int to = m.group(3) == null ? from : Integer.parseInt(m.group(3));
                    if (from < BOUNDS[i][0] || to > BOUNDS[i][1] || from > to) {
                        return false;
                    }
                }
                if (m.group(4) != null && Integer.parseInt(m.group(4)) == 0) {
                    return false;
                }
            }
        }
        return true;
    }
}
