package dev.bookingplatform.testsupport.process;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The classpath a child JVM needs to run a class of this one. */
public final class JvmClasspath {

    private JvmClasspath() {
    }

    /**
     * This JVM's application classpath. Under {@code exec:java} (the benchmarks) this JVM is Maven's, whose
     * {@code java.class.path} is Maven's launcher: there the application's class loader holds the classpath.
     */
    public static String of(Class<?> anyApplicationClass) {
        if (anyApplicationClass.getClassLoader() instanceof URLClassLoader loader && loader.getURLs().length > 0) {
            List<String> entries = new ArrayList<>();
            for (URL url : loader.getURLs()) {
                try {
                    entries.add(Path.of(url.toURI()).toString());
                }
                catch (URISyntaxException | IllegalArgumentException notAFile) {
                    throw new IllegalStateException("Cannot start a JVM from class path entry " + url, notAFile);
                }
            }
            return String.join(File.pathSeparator, entries);
        }
        return System.getProperty("java.class.path");
    }

    /** The {@code java} launcher of this JVM's runtime. */
    public static String javaLauncher() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
