package dev.zhifu.payments.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * What a second start of the same service meets, said in one line before anything is opened: the HTTP port is
 * taken, or the H2 database file is held by another process. Without these checks the second start opened the
 * database first and ended in a long stack trace about H2's lock. Added by the application's {@code main} only
 * (tests start their contexts on other ports and databases), after the environment is complete.
 */
public final class StartChecks implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    private final PrintStream err;

    public StartChecks(PrintStream err) {
        this.err = err;
    }

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        String problem = problem(event.getEnvironment());
        if (problem != null) {
            err.println("payment-service: " + problem);
            throw new SpringApplication.AbandonedRunException(); // Spring Boot exits the run without a failure report
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 1; // after the environment is complete (server.address of demo mode)
    }

    static String problem(Environment env) {
        String port = portInUse(env);
        return port != null ? port : databaseInUse(env.getProperty("spring.datasource.url"));
    }

    static String portInUse(Environment env) {
        int port = env.getProperty("server.port", Integer.class, 8080);
        if (port <= 0) {
            return null;
        }
        String address = env.getProperty("server.address");
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // as Tomcat binds: a port left in TIME_WAIT is free
            socket.bind(
                    address == null || address.isBlank()
                            ? new InetSocketAddress(port)
                            : new InetSocketAddress(InetAddress.getByName(address), port));
            return null;
        } catch (IOException e) {
            return "port " + port + (address == null || address.isBlank() ? "" : " on " + address)
                    + " is already in use (is payment-service already running?). Stop that process, or start this one"
                    + " with --server.port=<another port>.";
        }
    }

    /** An H2 file database that another process has open; other databases and H2's server modes are left alone. */
    static String databaseInUse(String url) {
        Path file = h2File(url);
        if (file == null || !Files.isRegularFile(file)) {
            return null;
        }
        boolean locked;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            locked = lock == null;
            if (lock != null) {
                lock.release();
            }
        } catch (OverlappingFileLockException e) {
            locked = true; // this very process has it open
        } catch (IOException e) {
            return null; // unreadable here: H2 will say why when it opens it
        }
        return !locked
                ? null
                : "the database " + file + " is in use by another process (is payment-service"
                        + " already running from this directory?). Stop that process, or give this one its own"
                        + " --payments.data-dir=DIR.";
    }

    static Path h2File(String url) {
        if (url == null || !url.regionMatches(true, 0, "jdbc:h2:", 0, 8)) {
            return null;
        }
        String rest = url.substring(8);
        String settings = rest.contains(";") ? rest.substring(rest.indexOf(';')).toUpperCase(Locale.ROOT) : "";
        String name = rest.contains(";") ? rest.substring(0, rest.indexOf(';')) : rest;
        if (settings.contains(";AUTO_SERVER=TRUE")
                || settings.contains(";FILE_LOCK=NO")
                || name.matches("(?i)(mem|tcp|ssl|zip|split|nio\\w*|async|retry):.*")) {
            return null;
        }
        if (name.regionMatches(true, 0, "file:", 0, 5)) {
            name = name.substring(5);
        }
        if (name.startsWith("~")) {
            name = System.getProperty("user.home") + name.substring(1);
        }
        return Path.of(name + ".mv.db").toAbsolutePath().normalize();
    }
}
