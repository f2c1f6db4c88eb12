package dev.marketops.deploy;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Builds a service's OCI image as a tarball with Jib (the engine behind Quarkus'
 * container-image-jib), without a Docker engine or a registry: Quarkus' fast-jar layout in
 * /work split into layers by how often they change (lib/boot + lib/main, quarkus/, app/), as
 * Quarkus' jib extension does, on a base that is either
 * <ul>
 * <li>a registry image ({@code -Dimage.base=eclipse-temurin:21-jre}; Java at /opt/java/openjdk, needs
 * the registry), or</li>
 * <li>by default (machines without a container registry, like CI here) a base made from this
 * build's own JDK: a jlink'ed runtime at /opt/java/openjdk plus the C libraries it links to and
 * an /etc/passwd with the non-root user 185.</li>
 * </ul>
 * The entrypoint is the JVM of the image on /work/quarkus-run.jar; the image runs as user 185
 * with /work as working directory (the chart's pods: runAsUser 185, read-only root, /tmp emptyDir).
 *
 * <p>From a shell: {@code mvn -B -o -pl deploy test -Dtest=ImageTest} (maintenance-service), or
 * {@code ImageBuilder.main(service ...)} with the test class path for other services.
 */
public final class ImageBuilder {

    static final String JAVA_HOME_IN_IMAGE = "/opt/java/openjdk";
    static final List<String> JRE_MODULES = List.of("java.base", "java.compiler", "java.desktop", "java.instrument",
            "java.logging", "java.management", "java.management.rmi", "java.naming", "java.net.http", "java.prefs",
            "java.rmi", "java.scripting", "java.security.jgss", "java.security.sasl", "java.sql", "java.transaction.xa",
            "java.xml", "java.xml.crypto", "jdk.crypto.cryptoki", "jdk.jfr", "jdk.management", "jdk.management.jfr",
            "jdk.naming.dns", "jdk.net", "jdk.unsupported", "jdk.zipfs", "jdk.charsets");
    /** What the JVM links to (ldd of bin/java and lib/server/libjvm.so on x86_64 glibc). */
    static final List<String> C_LIBRARIES = List.of("/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/libc.so.6",
            "/lib/x86_64-linux-gnu/libdl.so.2", "/lib/x86_64-linux-gnu/libpthread.so.0", "/lib/x86_64-linux-gnu/librt.so.1",
            "/lib/x86_64-linux-gnu/libm.so.6", "/lib/x86_64-linux-gnu/libgcc_s.so.1", "/lib/x86_64-linux-gnu/libz.so.1");

    private ImageBuilder() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
        for (String service : args) {
            Path tar = build(service, root.resolve(service).resolve("target/quarkus-app"), root.resolve("deploy/target/images"),
                    System.getProperty("image.tag", "0.1.0-SNAPSHOT"));
            System.out.printf("%s: %s (%,d bytes)%n", service, tar, Files.size(tar));
        }
    }

    /** Writes {@code out/<service>.tar} (OCI layout) and answers its path. */
    public static Path build(String service, Path quarkusApp, Path out, String tag) throws Exception {
        if (!Files.exists(quarkusApp.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException(quarkusApp + " has no quarkus-run.jar: build " + service + " first (mvn -pl " + service + " package)");
        }
        Files.createDirectories(out);
        String base = System.getProperty("image.base", "");
        JibContainerBuilder b = base.isEmpty() ? localBase(out) : Jib.from(RegistryImage.named(base));
        AbsoluteUnixPath work = AbsoluteUnixPath.get("/work");
        b.addFileEntriesLayer(tree("dependencies", quarkusApp.resolve("lib"), work.resolve("lib")))
                .addFileEntriesLayer(tree("quarkus", quarkusApp.resolve("quarkus"), work.resolve("quarkus")))
                .addFileEntriesLayer(FileEntriesLayer.builder().setName("quarkus-run")
                        .addEntry(quarkusApp.resolve("quarkus-run.jar"), work.resolve("quarkus-run.jar"), FilePermissions.DEFAULT_FILE_PERMISSIONS, Instant.EPOCH)
                        .build())
                .addFileEntriesLayer(tree("application", quarkusApp.resolve("app"), work.resolve("app")))
                .setFormat(ImageFormat.OCI)
                .setCreationTime(Instant.EPOCH) // reproducible: same inputs, same digest
                .setUser("185")
                .setWorkingDirectory(work)
                .setEnvironment(Map.of("JAVA_HOME", JAVA_HOME_IN_IMAGE, "LANG", "C.UTF-8",
                        "PATH", JAVA_HOME_IN_IMAGE + "/bin:/usr/bin:/bin"))
                .setEntrypoint(JAVA_HOME_IN_IMAGE + "/bin/java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError",
                        "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-jar", "/work/quarkus-run.jar")
                .addExposedPort(Port.tcp(9000))
                .addLabel("org.opencontainers.image.title", service)
                .addLabel("org.opencontainers.image.version", tag)
                .addLabel("org.opencontainers.image.source", "marketops/" + service);
        Path tar = out.resolve(service + ".tar");
        Files.deleteIfExists(tar);
        b.containerize(Containerizer.to(TarImage.at(tar).named("marketops/" + service + ":" + tag))
                .setBaseImageLayersCache(out.resolve("jib-cache/base"))
                .setApplicationLayersCache(out.resolve("jib-cache/app"))
                .setOfflineMode(base.isEmpty())
                .setToolName("marketops-deploy"));
        return tar;
    }

    /** The base from this build's JDK: jlink'ed runtime, its C libraries, users. */
    private static JibContainerBuilder localBase(Path out) throws Exception {
        Path jre = out.resolve("jre");
        if (!Files.exists(jre.resolve("bin/java"))) {
            Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
            Process p = new ProcessBuilder(jlink.toString(), "--add-modules", String.join(",", JRE_MODULES),
                    "--strip-debug", "--no-man-pages", "--no-header-files", "--output", jre.toString())
                    .redirectErrorStream(true).redirectOutput(out.resolve("jlink.log").toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("jlink failed: " + Files.readString(out.resolve("jlink.log")));
            }
        }
        Path etc = out.resolve("base-etc");
        Files.createDirectories(etc);
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/sbin/nologin\nquarkus:x:185:185:quarkus:/work:/sbin/nologin\n");
        Files.writeString(etc.resolve("group"), "root:x:0:\nquarkus:x:185:\n");
        Path tmp = Files.createDirectories(out.resolve("base-tmp"));
        FileEntriesLayer.Builder os = FileEntriesLayer.builder().setName("base-os")
                .addEntry(etc.resolve("passwd"), AbsoluteUnixPath.get("/etc/passwd"), FilePermissions.DEFAULT_FILE_PERMISSIONS, Instant.EPOCH)
                .addEntry(etc.resolve("group"), AbsoluteUnixPath.get("/etc/group"), FilePermissions.DEFAULT_FILE_PERMISSIONS, Instant.EPOCH)
                .addEntry(tmp, AbsoluteUnixPath.get("/tmp"), FilePermissions.fromOctalString("777"), Instant.EPOCH);
        for (String lib : C_LIBRARIES) {
            Path host = Path.of(lib);
            if (Files.exists(host)) {
                os.addEntry(host.toRealPath(), AbsoluteUnixPath.get(lib), FilePermissions.fromOctalString("755"), Instant.EPOCH);
            }
        }
        return Jib.fromScratch()
                .addFileEntriesLayer(os.build())
                .addFileEntriesLayer(tree("jre", jre, AbsoluteUnixPath.get(JAVA_HOME_IN_IMAGE)));
    }

    /** A directory as one layer, keeping executable bits, files sorted (reproducible). */
    private static FileEntriesLayer tree(String name, Path dir, AbsoluteUnixPath into) throws IOException {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted().forEach(files::add);
        }
        for (Path f : files) {
            String rel = dir.relativize(f).toString();
            AbsoluteUnixPath target = rel.isEmpty() ? into : into.resolve(rel);
            Path src = Files.isSymbolicLink(f) ? f.toRealPath() : f;
            boolean exec = Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS) || Files.isExecutable(src);
            layer.addEntry(src, target, FilePermissions.fromOctalString(exec ? "755" : "644"), Instant.EPOCH);
        }
        return layer.build();
    }
}
