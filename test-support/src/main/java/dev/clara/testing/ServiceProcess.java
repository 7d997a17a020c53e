package dev.clara.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A service in a JVM of its own (256 MB heap, serial GC), started from the test's class path or
 * from a built jar, so that a test can {@code kill -9} it or a benchmark can measure its memory.
 * Its output goes to {@code target/<name>.log}, written afresh at each start.
 */
public final class ServiceProcess implements AutoCloseable {

	private final Process process;

	private final Path log;

	private ServiceProcess(Process process, Path log) {
		this.process = process;
		this.log = log;
	}

	/** Runs {@code mainClass} with {@code arguments} in a new JVM. */
	public static ServiceProcess start(Class<?> mainClass, String name, List<String> arguments) throws IOException {
		return start(mainClass, name, List.of(), arguments);
	}

	/** Runs {@code mainClass} in a new JVM given {@code jvmOptions} too (for example a faster start-up). */
	public static ServiceProcess start(Class<?> mainClass, String name, List<String> jvmOptions, List<String> arguments)
			throws IOException {
		String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		List<String> launch = new ArrayList<>(jvmOptions);
		launch.addAll(List.of("-cp", classPath, mainClass.getName()));
		return launch(name, launch, arguments);
	}

	/** Runs a built service jar (for example {@code cdc-relay/target/cdc-relay.jar}) in a new JVM. */
	public static ServiceProcess startJar(Path jar, String name, List<String> arguments) throws IOException {
		return launch(name, List.of("-jar", jar.toString()), arguments);
	}

	private static ServiceProcess launch(String name, List<String> launch, List<String> arguments) throws IOException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-XX:+UseSerialGC"));
		command.addAll(launch);
		command.addAll(arguments);
		Path log = Path.of("target", name + ".log");
		Files.createDirectories(log.getParent());
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
			.start();
		// a test JVM that dies must not leave services behind (holding a replication slot, a group)
		Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
		return new ServiceProcess(process, log);
	}

	/** SIGKILL: no shutdown hook, no offset commit, no goodbye. */
	public void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor(30, TimeUnit.SECONDS);
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/** The JVM itself, for a test that waits for it to exit or reads its exit status. */
	public Process process() {
		return this.process;
	}

	public Path log() {
		return this.log;
	}

	/** Peak resident set size so far, in MB (the kernel's high-water mark, VmHWM). */
	public long peakRssMb() throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", Long.toString(this.process.pid()), "status"))) {
			if (line.startsWith("VmHWM:")) {
				return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
			}
		}
		return -1;
	}

	/** SIGTERM, so that the service shuts down gracefully; SIGKILL if it has not after 30 seconds. */
	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			this.process.destroy();
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
				this.process.waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

}
