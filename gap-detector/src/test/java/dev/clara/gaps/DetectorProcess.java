package dev.clara.gaps;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A gap detector in a JVM of its own, so a test can {@code kill -9} it. It runs from the test's
 * class path; its output goes to a file under {@code target/}.
 */
final class DetectorProcess implements AutoCloseable {

	private final Process process;

	private DetectorProcess(Process process) {
		this.process = process;
	}

	static DetectorProcess start(String name, List<String> arguments) throws IOException {
		String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-XX:+UseSerialGC", "-cp", classPath, GapDetectorApplication.class.getName()));
		command.addAll(arguments);
		File log = Path.of("target", "detector-" + name + ".log").toFile();
		return new DetectorProcess(new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log))
			.start());
	}

	/** Peak resident set size so far, in MB (the kernel's high-water mark, VmHWM). */
	long peakRssMb() throws IOException {
		return peakRssMb(this.process.pid());
	}

	static long peakRssMb(long pid) throws IOException {
		for (String line : java.nio.file.Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
			if (line.startsWith("VmHWM:")) {
				return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
			}
		}
		return -1;
	}

	/** SIGKILL: no shutdown hook, no offset commit, no goodbye. */
	void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor();
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			this.process.destroy();
			this.process.waitFor();
		}
	}

}
