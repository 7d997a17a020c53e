package dev.clara.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A service in a JVM of its own, started from the test's class path, so that a test can
 * {@code kill -9} it or a benchmark can measure its memory. Its output goes to
 * {@code target/<name>.log}.
 */
public final class ServiceProcess implements AutoCloseable {

	private final Process process;

	private ServiceProcess(Process process) {
		this.process = process;
	}

	/** Runs {@code mainClass} with {@code arguments} in a new JVM (256 MB heap, serial GC). */
	public static ServiceProcess start(Class<?> mainClass, String name, List<String> arguments) throws IOException {
		String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-XX:+UseSerialGC", "-cp", classPath, mainClass.getName()));
		command.addAll(arguments);
		File log = Path.of("target", name + ".log").toFile();
		return new ServiceProcess(new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log))
			.start());
	}

	/** SIGKILL: no shutdown hook, no offset commit, no goodbye. */
	public void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor();
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/** Peak resident set size so far, in MB (the kernel's high-water mark, VmHWM). */
	public long peakRssMb() throws IOException {
		return peakRssMb(this.process.pid());
	}

	/** Peak resident set size of any process, in MB, or -1 when the kernel does not say. */
	public static long peakRssMb(long pid) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
			if (line.startsWith("VmHWM:")) {
				return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
			}
		}
		return -1;
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			this.process.destroy();
			this.process.waitFor();
		}
	}

}
