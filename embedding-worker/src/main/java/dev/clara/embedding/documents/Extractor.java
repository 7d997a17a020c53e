package dev.clara.embedding.documents;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Runs {@link ExtractionMain} in a child JVM per document, with its own small heap and a time-out:
 * whatever a file does to the parser (a decompression bomb, a parser that loops, a PDF of
 * thousands of pages), the worker's own heap and threads are untouched, and the child is killed
 * when its time is up. The child runs from the worker's own class path (or its Spring Boot jar).
 */
@Component
class Extractor {

	private static final Logger log = LoggerFactory.getLogger(Extractor.class);

	/** The figures the child may report; anything else in its report is ignored. */
	private static final Set<String> REPORTED = Set.of("pages", "parse_ms", "peak_rss_kb");

	private final DocumentProperties properties;

	private final List<String> launch;

	Extractor(DocumentProperties properties) {
		this.properties = properties;
		this.launch = launchCommand();
	}

	/**
	 * What came of one extraction: the text (null unless it worked) or why not; {@code millis} is
	 * the parent's wall time (the child JVM's start included), {@code report} the child's own
	 * figures ({@code pages}, {@code parse_ms}, {@code peak_rss_kb}; empty when it wrote none).
	 */
	record Result(ExtractionMain.Outcome outcome, String text, boolean timedOut, long millis, Map<String, Long> report) {

		boolean ok() {
			return this.outcome == ExtractionMain.Outcome.OK && !this.timedOut;
		}

	}

	Result extract(Path file) throws IOException, InterruptedException {
		Path out = Files.createTempFile("clara-extract-", ".txt");
		Path report = Files.createTempFile("clara-extract-", ".report");
		long started = System.nanoTime();
		try {
			List<String> command = new ArrayList<>();
			command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
			command.add("-Xmx" + this.properties.extractionHeap().toMegabytes() + "m");
			command.add("-Xss1m");
			command.add("-XX:+UseSerialGC");
			command.add("-XX:+ExitOnOutOfMemoryError");
			command.add("-XX:TieredStopAtLevel=1");
			command.add("-Djava.awt.headless=true");
			command.addAll(this.launch);
			command.add(file.toString());
			command.add(out.toString());
			command.add(Integer.toString(this.properties.maxChars()));
			command.add(report.toString());
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			boolean finished = process.waitFor(this.properties.extractionTimeout().toMillis(), TimeUnit.MILLISECONDS);
			if (!finished) {
				process.destroyForcibly();
				process.waitFor(10, TimeUnit.SECONDS);
				return new Result(ExtractionMain.Outcome.UNREADABLE, null, true, elapsed(started), Map.of());
			}
			long millis = elapsed(started);
			ExtractionMain.Outcome outcome = ExtractionMain.Outcome.of(process.exitValue());
			String text = outcome == ExtractionMain.Outcome.OK ? Files.readString(out, StandardCharsets.UTF_8) : null;
			return new Result(outcome, text, false, millis, readReport(report));
		}
		finally {
			Files.deleteIfExists(out);
			Files.deleteIfExists(report);
		}
	}

	/**
	 * The child's {@code key=value} lines. Only the known keys with a number are taken: the child
	 * parsed an untrusted file, so what it wrote is not trusted further than that.
	 */
	static Map<String, Long> readReport(Path report) throws IOException {
		Map<String, Long> figures = new LinkedHashMap<>();
		for (String line : Files.readAllLines(report, StandardCharsets.UTF_8)) {
			int equals = line.indexOf('=');
			if (equals > 0 && REPORTED.contains(line.substring(0, equals))) {
				try {
					figures.put(line.substring(0, equals), Long.parseLong(line.substring(equals + 1).strip()));
				}
				catch (NumberFormatException ex) {
					// not a figure
				}
			}
		}
		return figures;
	}

	private static long elapsed(long started) {
		return (System.nanoTime() - started) / 1_000_000;
	}

	/**
	 * How to start {@link ExtractionMain}: from a Spring Boot jar through its launcher (the classes
	 * are nested in {@code BOOT-INF}), otherwise (tests, an exploded layout) from the class path.
	 */
	private static List<String> launchCommand() {
		String classPath = System.getProperty("java.class.path");
		if (!classPath.contains(File.pathSeparator) && classPath.endsWith(".jar") && isBootJar(classPath)) {
			return List.of("-cp", classPath, "-Dloader.main=" + ExtractionMain.class.getName(),
					"org.springframework.boot.loader.launch.PropertiesLauncher");
		}
		return List.of("-cp", classPath, ExtractionMain.class.getName());
	}

	private static boolean isBootJar(String jar) {
		try (JarFile file = new JarFile(jar)) {
			return file.getEntry("BOOT-INF/classes/") != null || file.getEntry("BOOT-INF/lib/") != null;
		}
		catch (IOException ex) {
			log.warn("cannot read {}: extraction runs from the class path", jar);
			return false;
		}
	}

}
