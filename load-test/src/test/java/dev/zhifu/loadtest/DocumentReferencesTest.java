package dev.zhifu.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository stands on its own: no file cites a document that is not in it, and every link or path
 * reference to a Markdown document names a file that exists and an anchor that file defines (an explicit
 * {@code <a id>} or a heading's GitHub slug). Checked over every file git knows (tracked, or new and not
 * ignored), so a comment citing a section that was renumbered away fails the build. See docs/README.md.
 */
class DocumentReferencesTest {

    /** Documents that lived outside the repository and must not be cited (written so this file does not match). */
    private static final Pattern OUTSIDE_DOCUMENT =
            Pattern.compile("SPEC\\s*\u00a7|(?<![A-Za-z0-9_])(?:SPEC|INTERFACES|STYLE)\\.md");

    /** {@code [text](target)} or {@code ![alt](target "title")}. */
    private static final Pattern MARKDOWN_LINK =
            Pattern.compile("!?\\[(?:[^\\]\\[]|\\[[^\\]]*])*]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    /** {@code [label]: target} (reference-style link definition). */
    private static final Pattern LINK_DEFINITION = Pattern.compile("^\\s{0,3}\\[[^\\]]+]:\\s*<?([^\\s>]+)>?");

    private static final String ANCHOR = "[\\p{L}\\p{N}_-]+(?:\\.[\\p{L}\\p{N}_-]+)*";
    /**
     * A plain path reference outside Markdown link syntax: any Markdown file under a {@code docs/} directory, with
     * or without an anchor, and any other Markdown path followed by {@code #anchor}. A file name alone, without an
     * anchor, is prose and not checked.
     */
    private static final Pattern PLAIN_REFERENCE = Pattern.compile(
            "(?<![\\w/.\\-])((?:\\.\\.?/)*(?:[\\w.\\-]+/)*[\\w\\-]+(?:\\.[\\w\\-]+)*\\.md)(?:#(" + ANCHOR + "))?");
    /** A further anchor of the same document later on the line: {@code , #s7}, {@code to #s4}, {@code (#x}. */
    private static final Pattern CONTINUATION = Pattern.compile("(?<=[\\s(,;])#(" + ANCHOR + ")");

    private static final Pattern EXPLICIT_ANCHOR =
            Pattern.compile("<[A-Za-z][^>]*?\\s(?:id|name)\\s*=\\s*[\"']([^\"']+)[\"']");
    private static final Pattern HEADING = Pattern.compile("^\\s{0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(```+|~~~+)");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");
    private static final Pattern SCHEME = Pattern.compile("^(?:[A-Za-z][A-Za-z0-9+.\\-]*:|//)");
    private static final long MAX_FILE_BYTES = 4L << 20;

    @Test
    void everyReferenceInTheRepositoryResolves() {
        Path root = repositoryRoot();
        List<String> problems = new Checker(root).check(filesOf(root));
        problems.forEach(System.out::println);
        assertThat(problems)
                .as("references to documents that are not in the repository, or to anchors they do not define"
                        + " (file:line: problem)")
                .isEmpty();
    }

    @Test
    void aCitationOfAnOutsideDocumentIsReported(@TempDir Path repo) throws IOException {
        String spec = "SPEC" + ".md";
        write(repo, "pom.xml", "<project/>");
        write(repo, "a/Thing.java", "// see (SPEC \u00a79.1)\n// and the " + "INTERFACES" + ".md contract\n");
        write(repo, "README.md", "Spec: [the spec](../" + spec + "), style: " + "STYLE" + ".md\n");

        assertThat(new Checker(repo).check(List.of("a/Thing.java", "README.md")))
                .containsExactly(
                        "a/Thing.java:1: cites a document outside the repository: SPEC \u00a7",
                        "a/Thing.java:2: cites a document outside the repository: " + "INTERFACES" + ".md",
                        "README.md:1: cites a document outside the repository: " + spec,
                        "README.md:1: cites a document outside the repository: " + "STYLE" + ".md",
                        "README.md:1: links to ../" + spec + ", which is not in the repository");
    }

    @Test
    void pathsAndAnchorsMustExist(@TempDir Path repo) throws IOException {
        // references are assembled from pieces so that this file itself holds none
        String guide = "guide" + ".md";
        String docsGuide = "docs/" + guide;
        write(repo, "pom.xml", "<project/>");
        write(repo, docsGuide, """
                # Guide
                <a id="s9.1"></a>
                ### 9.1 Transport (通知)
                ## Reconciliation (对账)
                ```
                # not a heading
                ```
                ## Reconciliation (对账)
                """);
        String good = docsGuide + "#s9.1";
        String badAnchor = docsGuide + "#s9.9";
        String badFile = "docs/" + "missing" + ".md#s1";
        String up = "../docs/" + guide;
        write(
                repo,
                "a/Thing.java",
                "// (" + good + "), (" + badAnchor + ")\n// " + badFile + ".\n" + "// (" + good
                        + " to #s9.2, #reconciliation-对账-1; {@link Foo#bar})\n");
        write(
                repo,
                "a/README.md",
                String.join(
                        "\n",
                        "[ok](" + up + "#reconciliation-对账) [ok](" + up + "#reconciliation-对账-1)",
                        "[ok](" + up + "#91-transport-通知) [self](#local) <a id=\"local\"></a>",
                        "[bad](" + up + "#not-a-heading) [bad](" + guide + ") [web](https://example.com/" + guide
                                + "#y)",
                        "```",
                        "[in a fence](" + guide + "#x)",
                        "```",
                        "`[in code](" + guide + "#x)`",
                        ""));

        assertThat(new Checker(repo).check(List.of("a/Thing.java", "a/README.md", docsGuide)))
                .containsExactly(
                        "a/Thing.java:1: refers to " + badAnchor + ", but " + docsGuide + " defines no anchor s9.9",
                        "a/Thing.java:2: refers to " + badFile + ", which is not in the repository",
                        "a/Thing.java:3: refers to #s9.2 of " + docsGuide + ", but " + docsGuide
                                + " defines no anchor s9.2",
                        "a/README.md:3: links to " + up + "#not-a-heading, but " + docsGuide
                                + " defines no anchor not-a-heading",
                        "a/README.md:3: links to " + guide + ", which is not in the repository");
    }

    // ------------------------------------------------------------------------------------------------ checker

    /** Finds the problems of a set of files under one repository root. */
    static final class Checker {
        private final Path root;
        private final Map<Path, Set<String>> anchorsByFile = new HashMap<>();

        Checker(Path root) {
            this.root = root.toAbsolutePath().normalize();
        }

        /** @param files paths relative to the root, '/'-separated */
        List<String> check(List<String> files) {
            List<String> problems = new ArrayList<>();
            for (String file : files) {
                if (file.contains("/db/migration/")) {
                    continue; // applied Flyway migrations never change (their checksums would): their comments are
                    // history
                }
                Path path = root.resolve(file);
                String text = readText(path);
                if (text != null) {
                    checkFile(file, path, text, problems);
                }
            }
            return problems;
        }

        private void checkFile(String file, Path path, String text, List<String> problems) {
            boolean markdown = file.toLowerCase(Locale.ROOT).endsWith(".md");
            String[] lines = text.split("\r?\n", -1);
            boolean inFence = false;
            String fence = null;
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                String where = file + ":" + (i + 1) + ": ";
                Matcher outside = OUTSIDE_DOCUMENT.matcher(line);
                while (outside.find()) {
                    problems.add(where + "cites a document outside the repository: " + outside.group());
                }
                String plain = line;
                if (markdown) {
                    Matcher f = FENCE.matcher(line);
                    if (f.find()
                            && (fence == null
                                    || f.group(1).charAt(0) == fence.charAt(0)
                                            && f.group(1).length() >= fence.length())) {
                        inFence = !inFence;
                        fence = inFence ? f.group(1) : null;
                        continue;
                    }
                    if (inFence) {
                        continue; // an example, not a reference
                    }
                    String prose = blankCodeSpans(line);
                    List<String> targets = new ArrayList<>();
                    Matcher link = MARKDOWN_LINK.matcher(prose);
                    while (link.find()) {
                        targets.add(link.group(1));
                    }
                    Matcher definition = LINK_DEFINITION.matcher(prose);
                    if (definition.find()) {
                        targets.add(definition.group(1));
                    }
                    for (String target : targets) {
                        checkLink(where, path, target, problems);
                    }
                    // link targets were checked as links: the rest of the line is prose
                    plain = MARKDOWN_LINK.matcher(line).replaceAll(" ");
                }
                Matcher ref = PLAIN_REFERENCE.matcher(plain);
                List<int[]> spans = new ArrayList<>();
                List<Path> targets = new ArrayList<>();
                while (ref.find()) {
                    String target = ref.group(1);
                    String anchor = ref.group(2);
                    boolean docs = target.startsWith("docs/") || target.contains("/docs/");
                    if (docs || anchor != null) {
                        spans.add(new int[] {ref.start(), ref.end()});
                        targets.add(checkPlain(where, path, target, anchor, problems));
                    }
                }
                // the anchors that follow a reference on its line belong to its file ("… to #s4, #s7")
                for (int k = 0; k < spans.size(); k++) {
                    int end = k + 1 < spans.size() ? spans.get(k + 1)[0] : plain.length();
                    Matcher more = CONTINUATION
                            .matcher(plain)
                            .useTransparentBounds(true)
                            .region(spans.get(k)[1], end);
                    while (more.find() && targets.get(k) != null) {
                        String shown =
                                root.relativize(targets.get(k)).toString().replace('\\', '/');
                        checkAnchor(
                                where,
                                "refers to #" + more.group(1) + " of " + shown,
                                targets.get(k),
                                more.group(1),
                                problems);
                    }
                }
            }
        }

        /** A Markdown link: relative to the file; {@code #x} alone is the file itself. */
        private void checkLink(String where, Path from, String target, List<String> problems) {
            if (SCHEME.matcher(target).find()) {
                return;
            }
            int hash = target.indexOf('#');
            String pathPart = hash < 0 ? target : target.substring(0, hash);
            String anchor = hash < 0 ? null : decode(target.substring(hash + 1));
            int query = pathPart.indexOf('?');
            if (query >= 0) {
                pathPart = pathPart.substring(0, query);
            }
            Path resolved = pathPart.isEmpty()
                    ? from
                    : pathPart.startsWith("/")
                            ? root.resolve(decode(pathPart.substring(1))).normalize()
                            : from.getParent().resolve(decode(pathPart)).normalize();
            if (!resolved.startsWith(root) || !Files.exists(resolved)) {
                problems.add(where + "links to " + target + ", which is not in the repository");
                return;
            }
            checkAnchor(where, "links to " + target, resolved, anchor, problems);
        }

        /**
         * A path in prose or a comment: relative to the file, else to the repository root.
         *
         * @return the file it names, or null when there is none
         */
        private Path checkPlain(String where, Path from, String target, String anchor, List<String> problems) {
            String written = target + (anchor == null ? "" : "#" + anchor);
            Path relative = from.getParent().resolve(target).normalize();
            Path fromRoot = root.resolve(target).normalize();
            Path resolved = relative.startsWith(root) && Files.isRegularFile(relative)
                    ? relative
                    : fromRoot.startsWith(root) && Files.isRegularFile(fromRoot) ? fromRoot : null;
            if (resolved == null) {
                problems.add(where + "refers to " + written + ", which is not in the repository");
                return null;
            }
            checkAnchor(where, "refers to " + written, resolved, anchor, problems);
            return resolved;
        }

        private void checkAnchor(String where, String what, Path target, String anchor, List<String> problems) {
            if (anchor == null
                    || anchor.isEmpty()
                    || !target.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".md")) {
                return;
            }
            Set<String> anchors = anchorsOf(target);
            if (!anchors.contains(anchor) && !anchors.contains(anchor.toLowerCase(Locale.ROOT))) {
                problems.add(where + what + ", but "
                        + root.relativize(target).toString().replace('\\', '/') + " defines no anchor " + anchor);
            }
        }

        /** Explicit {@code id}/{@code name} attributes and GitHub's heading slugs (with -1, -2… for repeats). */
        private Set<String> anchorsOf(Path markdown) {
            return anchorsByFile.computeIfAbsent(markdown, p -> {
                Set<String> anchors = new HashSet<>();
                Map<String, Integer> seen = new HashMap<>();
                String text = readText(p);
                boolean inFence = false;
                String fence = null;
                for (String line : text == null ? new String[0] : text.split("\r?\n")) {
                    Matcher f = FENCE.matcher(line);
                    if (f.find()
                            && (fence == null
                                    || f.group(1).charAt(0) == fence.charAt(0)
                                            && f.group(1).length() >= fence.length())) {
                        inFence = !inFence;
                        fence = inFence ? f.group(1) : null;
                        continue;
                    }
                    if (inFence) {
                        continue;
                    }
                    Matcher explicit = EXPLICIT_ANCHOR.matcher(line);
                    while (explicit.find()) {
                        anchors.add(explicit.group(1));
                    }
                    Matcher heading = HEADING.matcher(line);
                    if (heading.matches()) {
                        String slug = slug(heading.group(2));
                        int n = seen.merge(slug, 1, Integer::sum) - 1;
                        anchors.add(n == 0 ? slug : slug + "-" + n);
                    }
                }
                return anchors;
            });
        }

        /** GitHub's heading id: the rendered text, lower case, without punctuation, spaces as hyphens. */
        static String slug(String heading) {
            String text = heading.replaceAll("!?\\[([^\\]]*)]\\([^)]*\\)", "$1").replaceAll("<[^>]*>", "");
            StringBuilder slug = new StringBuilder(text.length());
            text.toLowerCase(Locale.ROOT).codePoints().forEach(c -> {
                int type = Character.getType(c);
                if (Character.isLetterOrDigit(c)
                        || type == Character.NON_SPACING_MARK
                        || type == Character.COMBINING_SPACING_MARK
                        || c == '_'
                        || c == '-') {
                    slug.appendCodePoint(c);
                } else if (c == ' ') {
                    slug.append('-');
                }
            });
            return slug.toString();
        }

        private static String blankCodeSpans(String line) {
            Matcher m = CODE_SPAN.matcher(line);
            StringBuilder out = new StringBuilder(line.length());
            while (m.find()) {
                m.appendReplacement(
                        out, Matcher.quoteReplacement(" ".repeat(m.group().length())));
            }
            m.appendTail(out);
            return out.toString();
        }

        private static String decode(String s) {
            try {
                return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return s;
            }
        }

        /** UTF-8 text, or null for what is not text (binary, too large, gone). */
        private static String readText(Path path) {
            try {
                if (!Files.isRegularFile(path) || Files.size(path) > MAX_FILE_BYTES) {
                    return null;
                }
                byte[] bytes = Files.readAllBytes(path);
                for (byte b : bytes) {
                    if (b == 0) {
                        return null;
                    }
                }
                return new String(bytes, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ files

    /**
     * The directory with the root pom.xml and .git (a directory, or a file in a git worktree), above this module;
     * without git (a source archive), the highest directory above it that holds a pom.xml.
     */
    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        Path highestPom = null;
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("pom.xml"))) {
                if (Files.exists(d.resolve(".git"))) {
                    return d;
                }
                highestPom = d;
            }
        }
        if (highestPom == null) {
            throw new IllegalStateException("no repository root (pom.xml and .git) above " + dir);
        }
        return highestPom;
    }

    /**
     * Every file git knows that is not ignored: tracked, plus new ones not yet added (so a new document is checked
     * before it is committed). Without git, the tree minus build output and dot-directories.
     */
    static List<String> filesOf(Path root) {
        try {
            Process git = new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
                    .directory(root.toFile())
                    .redirectErrorStream(false)
                    .start();
            git.getOutputStream().close();
            byte[] out;
            try (InputStream in = git.getInputStream()) {
                out = in.readAllBytes();
            }
            git.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream());
            if (git.waitFor(60, TimeUnit.SECONDS) && git.exitValue() == 0) {
                List<String> files = new ArrayList<>(
                        new java.util.TreeSet<>(List.of(new String(out, StandardCharsets.UTF_8).split("\0"))));
                files.removeIf(String::isEmpty);
                return files;
            }
        } catch (IOException e) {
            // no git: walk the tree below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(f -> Stream.of(f.split("/"))
                            .noneMatch(part -> part.equals("target")
                                    || part.equals("node_modules")
                                    || part.startsWith(".") && !part.equals(".ci")))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path root, String file, String text) throws IOException {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text, StandardCharsets.UTF_8);
    }
}
