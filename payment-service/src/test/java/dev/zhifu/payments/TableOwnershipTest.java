package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each table belongs to one feature (a top-level package under {@code dev.zhifu.payments}, payment-service/README.md,
 * Layout), and only that feature's classes name it in SQL: another feature asks the owner's query or service
 * class. A plain scan of the main sources, since a string constant is beyond ArchUnit: every {@code FROM},
 * {@code JOIN}, {@code UPDATE} or {@code INTO} followed by a table of the migrations, in a string literal (literals
 * joined by {@code +} count as one), must stand in the owner's package. ModuleBoundariesTest checks the rest with
 * ArchUnit (only the owners use JDBC at all).
 */
class TableOwnershipTest {

    /** Every table the migrations create, and the feature that owns it. */
    static final Map<String, String> OWNERS = Map.ofEntries(
            Map.entry("payments", "payments"),
            Map.entry("payment_anomalies", "payments"),
            Map.entry("refunds", "refunds"),
            Map.entry("payment_events", "events"),
            Map.entry("idempotency_keys", "idempotency"),
            Map.entry("received_notifications", "notifications"),
            Map.entry("refused_notifications", "notifications"),
            Map.entry("reconciliation_days", "reconciliation"),
            Map.entry("reconciliation_bill_chunks", "reconciliation"),
            Map.entry("reconciliation_bill_lines", "reconciliation"),
            Map.entry("reconciliation_discrepancies", "reconciliation"));

    /**
     * The one exception, reads only: reconciliation sets our books beside Alipay's bill, looking payments and
     * refunds up by the keys of a batch of lines and finding those with no line in one anti-join per kind
     * (V20__reconciliation.sql), which keeps a day of 100,000 lines one page at a time in memory. It never
     * writes them: repairs go through the payments and refunds ledgers.
     */
    static final Map<String, Set<String>> READS_ELSEWHERE = Map.of("reconciliation", Set.of("payments", "refunds"));

    private static final Path SOURCES = Path.of("src/main/java/dev/zhifu/payments");
    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
    private static final Pattern CREATE_TABLE = Pattern.compile("(?i)\\bCREATE\\s+TABLE\\s+(\\w+)");
    private static final Pattern STATEMENT = Pattern.compile("(?i)\\b(FROM|JOIN|UPDATE|INTO)\\s+([a-z_][a-z0-9_]*)");

    /** A table named in SQL: where, how ({@code FROM} …), and which. */
    record Use(String file, int line, String feature, String keyword, String table) {
        boolean read() {
            return keyword.equals("FROM") || keyword.equals("JOIN");
        }

        @Override
        public String toString() {
            return file + ":" + line + ": " + keyword + " " + table + " in feature " + feature + ", owned by "
                    + OWNERS.get(table);
        }
    }

    @Test
    void everyTableOfTheMigrationsHasAnOwner() throws IOException {
        Set<String> created = new TreeSet<>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).toList()) {
                Matcher m = CREATE_TABLE.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (m.find()) {
                    created.add(m.group(1).toLowerCase(Locale.ROOT));
                }
            }
        }
        assertThat(created)
                .as("tables of %s; give a new one its owner in OWNERS", MIGRATIONS)
                .containsExactlyInAnyOrderElementsOf(OWNERS.keySet());
    }

    @Test
    void aFeatureNamesOnlyItsOwnTablesInSql() {
        List<Use> foreign = uses().stream()
                .filter(u -> !OWNERS.get(u.table()).equals(u.feature()))
                .filter(u -> !(u.read()
                        && READS_ELSEWHERE.getOrDefault(u.feature(), Set.of()).contains(u.table())))
                .toList();
        assertThat(foreign)
                .as("SQL naming another feature's table: ask the owner's query or service class instead")
                .isEmpty();
    }

    /** Keeps the scan honest: were the SQL to move out of string literals, it would find nothing at all. */
    @Test
    void theScanSeesEveryOwnerUseItsTables() {
        Map<String, Set<String>> seen = new TreeMap<>();
        for (Use u : uses()) {
            if (OWNERS.get(u.table()).equals(u.feature())) {
                seen.computeIfAbsent(u.table(), t -> new TreeSet<>()).add(u.keyword());
            }
        }
        assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(OWNERS.keySet());
        assertThat(seen.get("payments")).contains("FROM", "UPDATE", "INTO");
    }

    @Test
    void joinedLiteralsAndTextBlocksAreReadAndCommentsAreNot() {
        String source = """
                package dev.zhifu.payments.admin;
                // SELECT * FROM payments, in a comment
                /* UPDATE refunds, in another */
                class Sneaky {
                    String a = "SELECT COUNT(*) FROM "
                            + "payments" + where;
                    String b = \"""
                            SELECT 1
                            FROM payment_events e JOIN refunds r ON r.id = e.id
                            \""";
                    String c = "INSERT INTO idempotency_keys (k) VALUES ('\\"; FROM payments')";
                    char q = '"';
                    String d = "DELETE FROM x_unknown WHERE a = 'from refunds'";
                    String e = "rows " + count + " from payments";
                }
                """;
        assertThat(scan("admin/Sneaky.java", "admin", source))
                .map(Use::toString)
                .containsExactly(
                        "admin/Sneaky.java:6: FROM payments in feature admin, owned by payments",
                        "admin/Sneaky.java:9: FROM payment_events in feature admin, owned by events",
                        "admin/Sneaky.java:9: JOIN refunds in feature admin, owned by refunds",
                        "admin/Sneaky.java:11: INTO idempotency_keys in feature admin, owned by idempotency",
                        "admin/Sneaky.java:11: FROM payments in feature admin, owned by payments",
                        "admin/Sneaky.java:13: FROM refunds in feature admin, owned by refunds",
                        "admin/Sneaky.java:14: FROM payments in feature admin, owned by payments");
    }

    // ------------------------------------------------------------------------------------------------ scan

    private static List<Use> uses() {
        List<Use> uses = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String relative = SOURCES.relativize(file).toString().replace('\\', '/');
                String feature = relative.contains("/") ? relative.substring(0, relative.indexOf('/')) : "";
                uses.addAll(scan(relative, feature, Files.readString(file, StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(uses)
                .as("statements found under %s", SOURCES.toAbsolutePath())
                .isNotEmpty();
        return uses;
    }

    /** The tables of {@link #OWNERS} that the string literals of one source file name after a SQL keyword. */
    static List<Use> scan(String file, String feature, String source) {
        List<Use> uses = new ArrayList<>();
        for (Literal literal : literals(source)) {
            Matcher m = STATEMENT.matcher(literal.text());
            while (m.find()) {
                String table = m.group(2).toLowerCase(Locale.ROOT);
                if (OWNERS.containsKey(table)) {
                    int line = literal.line() + count(literal.text(), 0, m.start(2));
                    uses.add(new Use(file, line, feature, m.group(1).toUpperCase(Locale.ROOT), table));
                }
            }
        }
        return uses;
    }

    /** A string literal's text (escapes left as written) and the line it starts on. */
    record Literal(String text, int line) {}

    /**
     * The string literals and text blocks of a Java source, outside comments; literals joined by {@code +} alone
     * come as one, so {@code "… FROM " + "payments"} reads as it runs.
     */
    static List<Literal> literals(String src) {
        List<Literal> out = new ArrayList<>();
        StringBuilder between = new StringBuilder();
        int line = 1;
        int i = 0;
        while (i < src.length()) {
            char c = src.charAt(i);
            if (src.startsWith("//", i)) {
                int end = src.indexOf('\n', i);
                i = end < 0 ? src.length() : end;
            } else if (src.startsWith("/*", i)) {
                int end = src.indexOf("*/", i + 2);
                end = end < 0 ? src.length() : end + 2;
                line += count(src, i, end);
                i = end;
            } else if (c == '\'') {
                int end = i + 1;
                while (end < src.length() && src.charAt(end) != '\'') {
                    end += src.charAt(end) == '\\' ? 2 : 1;
                }
                i = end + 1;
                between.append('?');
            } else if (c == '"') {
                boolean block = src.startsWith("\"\"\"", i);
                int start = block ? i + 3 : i + 1;
                int end = start;
                while (end < src.length() && !(block ? src.startsWith("\"\"\"", end) : src.charAt(end) == '"')) {
                    end += src.charAt(end) == '\\' ? 2 : 1;
                }
                String text = src.substring(start, Math.min(end, src.length()));
                if (!out.isEmpty() && between.toString().strip().equals("+")) {
                    // the line breaks between the parts kept, so a table is reported on its own line
                    Literal previous = out.remove(out.size() - 1);
                    String breaks = "\n".repeat(count(between.toString(), 0, between.length()));
                    out.add(new Literal(previous.text() + breaks + text, previous.line()));
                } else {
                    out.add(new Literal(text, line));
                }
                line += count(src, i, Math.min(end, src.length()));
                between.setLength(0);
                i = end + (block ? 3 : 1);
            } else {
                if (c == '\n') {
                    line++;
                }
                between.append(c);
                i++;
            }
        }
        return out;
    }

    private static int count(String s, int from, int to) {
        int n = 0;
        for (int k = from; k < to; k++) {
            if (s.charAt(k) == '\n') {
                n++;
            }
        }
        return n;
    }
}
