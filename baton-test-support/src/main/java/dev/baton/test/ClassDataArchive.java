package dev.baton.test;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's runnable jar extracted, with an archive of the classes its start-up loads (the JVM's
 * class data sharing): a service started from it maps those classes from the archive instead of
 * reading and verifying them, and is ready in about a third of the time. The first fast start of a
 * module in the build extracts its jar ({@code -Djarmode=tools extract}) and makes the archive in a
 * training run of the service that exits once its context is refreshed, before any lifecycle bean
 * starts; both are kept under the module's {@code target/class-data/} until the jar changes. If
 * either step fails, the service starts from its jar as before, and the build says why once.
 */
final class ClassDataArchive {

    private static final Logger log = LoggerFactory.getLogger(ClassDataArchive.class);

    private static final Map<Path, Optional<ClassDataArchive>> PREPARED = new HashMap<>();

    private final Path jar;
    private final Path archive;

    private ClassDataArchive(Path jar, Path archive) {
        this.jar = jar;
        this.archive = archive;
    }

    /** The extracted jar to run. */
    Path jar() {
        return jar;
    }

    /** The JVM option that maps the archive. */
    String option() {
        return "-XX:SharedArchiveFile=" + archive;
    }

    /**
     * The archive of {@code runnableJar}, prepared now if this build has none yet; {@code training}
     * gives the process that starts the service from an extracted jar with extra JVM options,
     * exactly as a test would start it.
     */
    static synchronized Optional<ClassDataArchive> of(
            Path runnableJar, BiFunction<Path, List<String>, ProcessBuilder> training) {
        return PREPARED.computeIfAbsent(runnableJar, jar -> prepare(jar, training));
    }

    private static Optional<ClassDataArchive> prepare(
            Path runnableJar, BiFunction<Path, List<String>, ProcessBuilder> training) {
        try {
            String name = runnableJar.getFileName().toString();
            Path root = runnableJar.resolveSibling("class-data");
            Path directory = root.resolve(name.substring(0, name.length() - ".jar".length()) + "-"
                    + Files.getLastModifiedTime(runnableJar).toMillis());
            Path archive = directory.resolve("classes.jsa");
            Files.createDirectories(root);
            // Another test JVM of the build may be preparing the same archive.
            try (FileChannel channel = FileChannel.open(
                            root.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                if (!Files.exists(archive)) {
                    long started = System.nanoTime();
                    run(
                            new ProcessBuilder(
                                    ServiceProcess.java(),
                                    "-Djarmode=tools",
                                    "-jar",
                                    runnableJar.toString(),
                                    "extract",
                                    "--force",
                                    "--destination",
                                    directory.toString()),
                            directory.resolveSibling(directory.getFileName() + "-extract.log"));
                    Path written = directory.resolve("classes.jsa.part");
                    run(
                            training.apply(
                                    directory.resolve(name),
                                    List.of("-XX:ArchiveClassesAtExit=" + written, "-Dspring.context.exit=onRefresh")),
                            directory.resolveSibling(directory.getFileName() + "-training.log"));
                    if (!Files.exists(written)) {
                        throw new IllegalStateException("the training run wrote no archive");
                    }
                    Files.move(written, archive, StandardCopyOption.ATOMIC_MOVE);
                    log.info(
                            "Archived the start-up classes of {} in {} s",
                            name,
                            String.format("%.1f", (System.nanoTime() - started) / 1e9));
                }
            }
            return Optional.of(new ClassDataArchive(directory.resolve(name), archive));
        } catch (IOException | RuntimeException e) {
            log.warn("Services of {} start without a class-data archive: {}", runnableJar.getFileName(), e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Runs a step to its end, its output in {@code output}; throws unless it exits with 0 within two minutes. */
    private static void run(ProcessBuilder step, Path output) throws IOException, InterruptedException {
        Process process =
                step.redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("still running after two minutes; see " + output);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("exited with " + process.exitValue() + "; see " + output);
        }
    }
}
