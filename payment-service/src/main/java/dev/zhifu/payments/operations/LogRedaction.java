package dev.zhifu.payments.operations;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What no log line may carry, whoever writes it (our code, Spring, Tomcat's DEBUG dump of a raw request, the
 * sandbox): key material, signatures, API keys, webhook secrets, buyer identifiers. Every message and exception
 * message passes through {@link #redact} on its way to the console or a file, in plain text and in JSON alike
 * ({@link RedactingEncoder}). Rules, in order:
 * <ol>
 *   <li>the configured secrets themselves ({@code payments.api-keys}, {@code payments.webhook-secret});</li>
 *   <li>PEM blocks, and runs of 100+ base64 characters (raw or URL-encoded): keys and RSA signatures;</li>
 *   <li>the values of sensitive parameters, in forms, queries, headers and JSON: {@code sign},
 *       {@code buyer_id}, {@code buyer_logon_id}, {@code buyer_open_id}, {@code buyer_user_id},
 *       {@code v1} (the webhook signature), {@code password}, {@code secret}…;</li>
 *   <li>{@code Bearer <token>}, but for the demo API key, which the demo prints on purpose.</li>
 * </ol>
 */
public final class LogRedaction {

    public static final String MARK = "[REDACTED]";

    private static final Set<String> SECRETS = new CopyOnWriteArraySet<>();

    private static final Pattern PEM =
            Pattern.compile("-----BEGIN [A-Z0-9 ]+-----[\\s\\S]*?(?:-----END [A-Z0-9 ]+-----|$)");
    private static final String NAMES = "sign|buyer_id|buyer_logon_id|buyer_open_id|buyer_user_id|buyer_email|buyerId"
            + "|buyerLogonId|v1|password|passwd|secret|webhook_secret|api_key|apikey|app_private_key|private_key"
            + "|auth_code|app_auth_token|access_token|encrypt_key";
    /**
     * name=value (forms, queries, toString) and name: value (headers, text); not "name = ?" (SQL). The value ends
     * at & , ; whitespace, a quote or a closing bracket.
     */
    private static final Pattern PARAM = Pattern.compile(
            "(?i)(?<![A-Za-z0-9_])(" + NAMES + ")(=|%3D|:[ \\t]*)(?!\\[REDACTED)(?![\"'])([^&,;\\s\"'\\]\\)}]+)");
    /**
     * "name":"value" and "name" : "value" in JSON, also \"escaped\" inside a JSON string. The value is read as
     * runs between backslashes: a group repeated per character would recurse once per character.
     */
    private static final Pattern JSON = Pattern.compile(
            "(?i)(\\\\?\"(?:" + NAMES + ")\\\\?\"\\s*:\\s*\\\\?\")([^\"\\\\]*+(?:\\\\(?!\")[^\"\\\\]*+)*+)");
    /** Not a plain lower-case word either: "bearer keys" in a sentence is prose, not a token. */
    private static final Pattern BEARER =
            Pattern.compile("(?i)(Bearer\\s+)(?![<\\[])(?!(?-i:[a-z]{1,19})(?![^\\s\"',;]))([^\\s\"',;]+)");
    /** Values printed on purpose (the generated demo API key), which a Bearer may show. */
    private static final Set<String> SHOWN = new CopyOnWriteArraySet<>();

    private LogRedaction() {}

    /** Adds a secret that must never appear as it is (ignored when shorter than 8 characters: too common). */
    public static void secret(String value) {
        if (value != null && value.strip().length() >= 8) {
            SECRETS.add(value.strip());
        }
    }

    /**
     * A value the service prints on purpose and that is no secret: the demo API key, generated for the demo
     * only. Its {@code Bearer} stays readable, so the demo's {@code curl} line can be pasted as it is logged.
     */
    public static void shown(String value) {
        if (value != null && !value.isBlank()) {
            SHOWN.add(value.strip());
        }
    }

    public static void secrets(List<String> values) {
        values.forEach(LogRedaction::secret);
    }

    /** Substrings of every name in {@link #NAMES} (lower case): without one of them PARAM and JSON cannot match. */
    private static final List<String> NAME_STEMS =
            List.of("sign", "buyer", "v1", "passw", "secret", "key", "auth_code", "token");

    private static boolean mayNameParameter(String lower) {
        for (String stem : NAME_STEMS) {
            if (lower.contains(stem)) {
                return true;
            }
        }
        return false;
    }

    /** Runs of this many base64 units or more are keys or signatures. */
    private static final int LONG_RUN = 100;

    /**
     * Replaces every run of {@value #LONG_RUN} or more base64 units, raw or URL-encoded ({@code A-Z a-z 0-9 + / _ -},
     * {@code %2B %2F %3D}), with up to two {@code =} or {@code %3D} after it, by the mark. One pass by hand: the
     * regular expression for it recursed once per character and overflowed a thread's stack on a long key.
     */
    static String redactLongBase64(String s) {
        StringBuilder out = null;
        int copied = 0;
        int i = 0;
        int n = s.length();
        while (i < n) {
            int start = i;
            int units = 0;
            for (int u; (u = base64Unit(s, i)) > 0; i += u) {
                units++;
            }
            if (units == 0) {
                i++;
                continue;
            }
            // read from inside a leading escape, "%2B…" is "2", "B", …: one unit more, as the pattern this replaced
            // counted it; the '%' then stays
            boolean fromSecond = units < LONG_RUN && units + 1 >= LONG_RUN && base64Unit(s, start) == 3;
            if (units >= LONG_RUN || fromSecond) {
                start += fromSecond ? 1 : 0;
                for (int pad = 0; pad < 2; pad++) {
                    int length =
                            i < n && s.charAt(i) == '=' ? 1 : base64Unit(s, i) == 3 && s.charAt(i + 1) == '3' ? 3 : 0;
                    if (length == 0) {
                        break;
                    }
                    i += length;
                }
                out = out == null ? new StringBuilder(n) : out;
                out.append(s, copied, start).append(MARK);
                copied = i;
            }
        }
        return out == null ? s : out.append(s, copied, n).toString();
    }

    /** The length of the base64 unit at {@code i}: 1, 3 for an encoded {@code + / =}, 0 for none. */
    private static int base64Unit(String s, int i) {
        if (i >= s.length()) {
            return 0;
        }
        char c = s.charAt(i);
        if ((c >= 'A' && c <= 'Z')
                || (c >= 'a' && c <= 'z')
                || (c >= '0' && c <= '9')
                || c == '+'
                || c == '/'
                || c == '_'
                || c == '-') {
            return 1;
        }
        if (c == '%' && i + 2 < s.length()) {
            char a = s.charAt(i + 1);
            char b = Character.toUpperCase(s.charAt(i + 2));
            if ((a == '2' && (b == 'B' || b == 'F')) || (a == '3' && b == 'D')) {
                return 3;
            }
        }
        return 0;
    }

    public static String redact(String message) {
        if (message == null || message.isEmpty()) {
            return message;
        }
        String out = message;
        for (String secret : SECRETS) {
            if (out.contains(secret)) {
                out = out.replace(secret, MARK);
            }
        }
        if (out.contains("-----BEGIN")) {
            out = PEM.matcher(out).replaceAll(Matcher.quoteReplacement("[REDACTED PEM]"));
        }
        out = redactLongBase64(out);
        // most lines name none of the parameters: a plain scan spares them the case-insensitive patterns
        String lower = out.toLowerCase(Locale.ROOT);
        if (mayNameParameter(lower)) {
            out = PARAM.matcher(out).replaceAll("$1$2" + Matcher.quoteReplacement(MARK));
            if (out.indexOf('"') >= 0) {
                out = JSON.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(MARK));
            }
        }
        if (lower.contains("bearer")) {
            out = BEARER.matcher(out)
                    .replaceAll(
                            m -> Matcher.quoteReplacement(SHOWN.contains(m.group(2)) ? m.group() : m.group(1) + MARK));
        }
        return out;
    }
}
