package dev.zhifu.loadtest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy on a loopback port between the service and its database, which makes the database's faults without
 * touching the database server (shared by everyone on the machine):
 * <ul>
 *   <li>{@link #pass()}: bytes flow both ways;</li>
 *   <li>{@link #down()}: the database is gone: the listener is closed, so new connections are refused, and every
 *       open connection is reset on both sides (the server rolls back what was open);</li>
 *   <li>{@link #partition()}: the network stops carrying packets: connections are still accepted, and nothing is
 *       forwarded either way, every socket kept open; on {@link #pass()} what was held flows on, as TCP's
 *       retransmissions would deliver it (a client that gave up meanwhile has its close delivered after its last
 *       bytes), and the connections accepted during the partition, never connected through, are closed.</li>
 * </ul>
 * {@link #cutAtCommit} cuts one connection at the commit of a transaction that carried a marker, before the
 * server has the COMMIT (the transaction is rolled back) or after the server answered it (committed, and the
 * client never learns it). For that the client's messages are framed in the database's wire protocol (PostgreSQL:
 * untyped start-up messages, then a type byte and a length; MariaDB: 3-byte length and a sequence number), so
 * TLS must be off ({@code sslmode=disable}; MariaDB's driver does not ask for it unless told).
 */
final class DatabaseProxy implements AutoCloseable {

    enum Wire {
        POSTGRESQL,
        MARIADB
    }

    private enum Mode {
        PASS,
        DOWN,
        PARTITION
    }

    /** Where a commit is cut: the transaction is lost, or it is committed without the client hearing of it. */
    enum Cut {
        BEFORE_COMMIT,
        AFTER_COMMIT
    }

    private record Armed(byte[] marker, Cut cut, CountDownLatch done) {}

    private final Wire wire;
    private final int target;
    private final int port;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final Set<Socket> held = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private final AtomicReference<Armed> armed = new AtomicReference<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile Mode mode = Mode.PASS;
    private volatile ServerSocket listener;
    private volatile boolean closed;

    DatabaseProxy(Wire wire, int targetPort) {
        this.wire = wire;
        this.target = targetPort;
        this.listener = bind(0);
        this.port = listener.getLocalPort();
        startAccepting(listener);
    }

    int port() {
        return port;
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted.get();
    }

    synchronized void pass() {
        Mode was = mode;
        if (was == Mode.DOWN) {
            listener = bindAgain();
            startAccepting(listener);
        }
        synchronized (gate) {
            mode = Mode.PASS;
            gate.notifyAll();
        }
        if (was == Mode.PARTITION) {
            held.forEach(DatabaseProxy::closeQuietly);
            held.clear();
        }
    }

    synchronized void down() {
        mode = Mode.DOWN;
        closeQuietly(listener);
        links.forEach(Link::reset);
        held.forEach(DatabaseProxy::closeQuietly);
        held.clear();
        synchronized (gate) {
            gate.notifyAll(); // pumps waiting at a closed gate find their sockets reset
        }
    }

    synchronized void partition() {
        mode = Mode.PARTITION;
    }

    /**
     * Arms one cut: the next commit of a transaction whose client messages contained {@code marker} (the bytes of
     * its UTF-8 text) is cut as {@code cut} says. Answers a latch that opens once it was.
     */
    CountDownLatch cutAtCommit(String marker, Cut cut) {
        Armed a = new Armed(marker.getBytes(StandardCharsets.UTF_8), cut, new CountDownLatch(1));
        armed.set(a);
        return a.done();
    }

    void disarm() {
        armed.set(null);
    }

    private ServerSocket bind(int at) {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), at), 200);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("proxy cannot listen on " + at, e);
        }
    }

    /** The same port again; an outgoing connection may hold it for a moment, so a few tries. */
    private ServerSocket bindAgain() {
        UncheckedIOException last = null;
        for (int i = 0; i < 50; i++) {
            try {
                return bind(port);
            } catch (UncheckedIOException e) {
                last = e;
                sleep(100);
            }
        }
        throw last;
    }

    private void startAccepting(ServerSocket on) {
        Thread t = new Thread(
                () -> {
                    while (!closed && !on.isClosed()) {
                        Socket client;
                        try {
                            client = on.accept();
                        } catch (IOException e) {
                            return; // closed: down() or close()
                        }
                        accepted.incrementAndGet();
                        if (mode == Mode.PARTITION) {
                            held.add(client); // the SYN got through to us, nothing further will
                            continue;
                        }
                        try {
                            Socket server = new Socket();
                            server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 5_000);
                            Link link = new Link(client, server);
                            links.add(link);
                            link.start();
                        } catch (IOException e) {
                            closeQuietly(client);
                        }
                    }
                },
                "proxy-accept-" + port);
        t.setDaemon(true);
        t.start();
    }

    /** Waits while partitioned; false when the link was reset meanwhile. */
    private boolean awaitOpen(Link link) {
        synchronized (gate) {
            while (mode == Mode.PARTITION && !link.reset && !closed) {
                try {
                    gate.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return !link.reset && !closed;
    }

    /** One client connection and its connection to the database, a thread per direction. */
    private final class Link {
        private final Socket client;
        private final Socket server;
        private final Framer framer = wire == Wire.POSTGRESQL ? new PostgresFramer() : new MariaDbFramer();
        private volatile boolean reset;
        /** Set once a commit was forwarded to be cut after: the server's answers are dropped from then on. */
        private volatile CountDownLatch dropAnswers;

        private volatile Armed cutting;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            thread(this::clientToServer, "c2s");
            thread(this::serverToClient, "s2c");
        }

        private void thread(Runnable body, String name) {
            Thread t = new Thread(
                    () -> {
                        try {
                            body.run();
                        } finally {
                            close();
                        }
                    },
                    "proxy-" + port + "-" + name);
            t.setDaemon(true);
            t.start();
        }

        private void clientToServer() {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = client.getInputStream();
                    OutputStream out = server.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!awaitOpen(this)) {
                        return;
                    }
                    for (byte[] message : framer.add(buffer, n)) {
                        if (!forward(message, out)) {
                            return;
                        }
                    }
                }
                awaitOpen(this); // the client's close reaches the server only once packets flow
            } catch (IOException e) {
                // reset or closed
            }
        }

        /** Forwards one client message, or cuts the connection at it; false when cut. */
        private boolean forward(byte[] message, OutputStream out) throws IOException {
            Armed cut = cutting;
            if (cut == null) {
                Armed a = armed.get();
                Framer.Kind kind = framer.kind(message);
                if (kind == Framer.Kind.BEGIN) {
                    framer.markerSeen = false;
                } else if (a != null && contains(message, a.marker())) {
                    framer.markerSeen = true;
                }
                if (a != null && kind == Framer.Kind.COMMIT && framer.markerSeen && armed.compareAndSet(a, null)) {
                    if (a.cut() == Cut.BEFORE_COMMIT) {
                        reset(); // the server never sees the COMMIT: it rolls the transaction back
                        a.done().countDown();
                        return false;
                    }
                    cut = a;
                    cutting = a;
                    dropAnswers = new CountDownLatch(1); // from now on the client hears nothing
                }
            }
            out.write(message);
            out.flush();
            if (cut != null && framer.completes(message)) {
                try {
                    dropAnswers.await(5, TimeUnit.SECONDS); // the server has committed once it answers
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                reset();
                cut.done().countDown();
                return false;
            }
            return true;
        }

        private void serverToClient() {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = server.getInputStream();
                    OutputStream out = client.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!awaitOpen(this)) {
                        return;
                    }
                    CountDownLatch drop = dropAnswers;
                    if (drop != null) {
                        drop.countDown();
                        continue;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
                awaitOpen(this);
            } catch (IOException e) {
                // reset or closed
            }
        }

        /** Both sides reset (RST, not FIN): the server drops the session and what it had open. */
        void reset() {
            reset = true;
            for (Socket s : new Socket[] {client, server}) {
                try {
                    s.setSoLinger(true, 0);
                } catch (IOException ignored) {
                    // already closed
                }
                closeQuietly(s);
            }
            links.remove(this);
        }

        void close() {
            closeQuietly(client);
            closeQuietly(server);
            links.remove(this);
        }
    }

    /**
     * Cuts the client's byte stream into whole messages of the wire protocol and tells the ones that begin or
     * commit a transaction. A prepared COMMIT is told by the name its Parse gave it.
     */
    private abstract static class Framer {
        enum Kind {
            BEGIN,
            COMMIT,
            OTHER
        }

        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        boolean markerSeen;

        java.util.List<byte[]> add(byte[] bytes, int n) {
            pending.write(bytes, 0, n);
            byte[] all = pending.toByteArray();
            java.util.List<byte[]> messages = new java.util.ArrayList<>();
            int at = 0;
            while (true) {
                int length = length(all, at);
                if (length < 0 || at + length > all.length) {
                    break;
                }
                byte[] message = java.util.Arrays.copyOfRange(all, at, at + length);
                messages.add(message);
                at += length;
            }
            pending.reset();
            pending.write(all, at, all.length - at);
            return messages;
        }

        /** The whole length of the message at {@code at}, or -1 when not all of its header is there yet. */
        abstract int length(byte[] b, int at);

        abstract Kind kind(byte[] message);

        /** Whether the server runs what was sent so far once it has this message. */
        boolean completes(byte[] message) {
            return true;
        }

        static Kind ofSql(String sql) {
            String s = sql.strip().toUpperCase(Locale.ROOT);
            if (s.equals("COMMIT")) {
                return Kind.COMMIT;
            }
            if (s.equals("BEGIN")
                    || s.startsWith("START TRANSACTION")
                    || s.replace(" ", "").equals("SETAUTOCOMMIT=0")) {
                return Kind.BEGIN;
            }
            return Kind.OTHER;
        }
    }

    /** PostgreSQL's frontend messages (protocol 3). */
    private static final class PostgresFramer extends Framer {
        private boolean started;
        private final Map<String, Kind> statements = new HashMap<>();
        private Kind unnamed = Kind.OTHER;

        @Override
        int length(byte[] b, int at) {
            if (!started) {
                if (b.length - at < 8) {
                    return -1;
                }
                int length = int32(b, at);
                int code = int32(b, at + 4);
                if (code == 196608) { // protocol 3.0: the start-up message, after which every message is typed
                    started = true;
                }
                return length;
            }
            if (b.length - at < 5) {
                return -1;
            }
            return 1 + int32(b, at + 1);
        }

        @Override
        Kind kind(byte[] m) {
            if (m.length < 5 || !started) {
                return Kind.OTHER;
            }
            switch (m[0]) {
                case 'Q' -> {
                    return ofSql(cString(m, 5));
                }
                case 'P' -> {
                    String name = cString(m, 5);
                    String sql = cString(m, 5 + utf8Length(name) + 1);
                    Kind kind = ofSql(sql);
                    if (name.isEmpty()) {
                        unnamed = kind;
                    } else {
                        statements.put(name, kind);
                    }
                    return Kind.OTHER; // it runs at its Bind
                }
                case 'B' -> {
                    String portal = cString(m, 5);
                    String statement = cString(m, 5 + utf8Length(portal) + 1);
                    return statement.isEmpty() ? unnamed : statements.getOrDefault(statement, Kind.OTHER);
                }
                default -> {
                    return Kind.OTHER;
                }
            }
        }

        /** Extended-protocol messages run at the Sync that follows them; a simple query at once. */
        @Override
        boolean completes(byte[] message) {
            return message.length > 0 && (message[0] == 'S' || message[0] == 'Q');
        }

        private static int int32(byte[] b, int at) {
            return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
        }

        private static String cString(byte[] b, int at) {
            int end = at;
            while (end < b.length && b[end] != 0) {
                end++;
            }
            return new String(b, at, Math.max(0, end - at), StandardCharsets.UTF_8);
        }

        private static int utf8Length(String s) {
            return s.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    /** MariaDB's client packets: 3-byte little-endian payload length, sequence number, payload. */
    private static final class MariaDbFramer extends Framer {
        private static final int COM_QUERY = 0x03;

        @Override
        int length(byte[] b, int at) {
            if (b.length - at < 4) {
                return -1;
            }
            return 4 + ((b[at] & 0xff) | ((b[at + 1] & 0xff) << 8) | ((b[at + 2] & 0xff) << 16));
        }

        @Override
        Kind kind(byte[] m) {
            if (m.length < 5 || (m[4] & 0xff) != COM_QUERY || m[3] != 0) {
                return Kind.OTHER; // a command starts a sequence at 0; the handshake's packets do not
            }
            return ofSql(new String(m, 5, m.length - 5, StandardCharsets.UTF_8));
        }
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        links.forEach(Link::close);
        held.forEach(DatabaseProxy::closeQuietly);
        synchronized (gate) {
            gate.notifyAll();
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (IOException ignored) {
            // closing
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How long to wait at most for a cut to happen. */
    static boolean await(CountDownLatch latch, Duration max) throws InterruptedException {
        return latch.await(max.toMillis(), TimeUnit.MILLISECONDS);
    }
}
