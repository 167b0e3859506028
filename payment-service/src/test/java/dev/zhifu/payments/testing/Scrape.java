package dev.zhifu.payments.testing;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** One {@code /actuator/prometheus} answer, read as Prometheus reads it. */
public record Scrape(String text) {

    /** Every sample name (what a PromQL query names), e.g. {@code payments_created_total}. */
    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = line.indexOf('{');
            names.add(line.substring(0, end >= 0 ? end : line.indexOf(' ')));
        }
        return names;
    }

    /** The sum of the samples of {@code name} carrying all the given labels (0 when there is none). */
    public double value(String name, Map<String, String> labels) {
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            boolean all =
                    labels.entrySet().stream().allMatch(l -> line.contains(l.getKey() + "=\"" + l.getValue() + "\""));
            if (all) {
                String v = line.substring(line.lastIndexOf(' ') + 1);
                sum += Double.parseDouble(v);
            }
        }
        return sum;
    }

    public double value(String name) {
        return value(name, Map.of());
    }

    /** Whether a sample of {@code name} with these labels exists at all (also at zero). */
    public boolean has(String name, Map<String, String> labels) {
        for (String line : text.split("\n")) {
            if (!line.startsWith("#")
                    && (line.startsWith(name + "{") || line.startsWith(name + " "))
                    && labels.entrySet().stream()
                            .allMatch(l -> line.contains(l.getKey() + "=\"" + l.getValue() + "\""))) {
                return true;
            }
        }
        return false;
    }
}
