package dev.clara.relay;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A single-node Kafka broker of the test's own (the jars {@code deploy/kafka.sh} copied into
 * {@code .local/kafka/libs}, other ports, a temporary log directory), so a test can stop and
 * start Kafka without touching the shared broker.
 */
final class OwnKafkaBroker implements AutoCloseable {

	final int port;

	private final int controllerPort;

	private final Path home;

	private final Path config;

	private final Path libs;

	private Process process;

	OwnKafkaBroker() throws IOException, InterruptedException {
		this.libs = libs();
		this.port = freePort();
		this.controllerPort = freePort();
		this.home = Files.createTempDirectory("clara-test-kafka");
		this.config = this.home.resolve("server.properties");
		Files.writeString(this.config, """
				process.roles=broker,controller
				node.id=1
				controller.quorum.voters=1@127.0.0.1:%2$d
				listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
				advertised.listeners=PLAINTEXT://127.0.0.1:%1$d
				controller.listener.names=CONTROLLER
				listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
				inter.broker.listener.name=PLAINTEXT
				log.dirs=%3$s
				auto.create.topics.enable=false
				offsets.topic.replication.factor=1
				offsets.topic.num.partitions=1
				transaction.state.log.replication.factor=1
				transaction.state.log.min.isr=1
				share.coordinator.state.topic.replication.factor=1
				share.coordinator.state.topic.min.isr=1
				group.initial.rebalance.delay.ms=0
				""".formatted(this.port, this.controllerPort, this.home.resolve("data")));
		Process format = new ProcessBuilder(java(), "-Xmx128m", "-cp", this.libs + File.separator + "*",
				"kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", this.config.toString())
			.redirectErrorStream(true)
			.redirectOutput(this.home.resolve("format.log").toFile())
			.start();
		if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
			throw new IllegalStateException("Formatting the test broker failed: " + Files.readString(this.home.resolve("format.log")));
		}
	}

	String bootstrapServers() {
		return "127.0.0.1:" + this.port;
	}

	/** Starts (or restarts, with the same data) and waits until it accepts connections. */
	void start() throws IOException, InterruptedException {
		this.process = new ProcessBuilder(java(), "-Xmx256m", "-XX:+UseSerialGC", "-cp",
				this.libs + File.separator + "*", "kafka.Kafka", this.config.toString())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.home.resolve("broker.log").toFile()))
			.start();
		Process started = this.process;
		Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
		long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < until) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", this.port), 500);
				return;
			}
			catch (IOException ex) {
				if (!this.process.isAlive()) {
					throw new IllegalStateException("The test broker exited: " + Files.readString(this.home.resolve("broker.log")));
				}
				Thread.sleep(200);
			}
		}
		throw new IllegalStateException("The test broker did not open port " + this.port);
	}

	/** A clean stop (SIGTERM), as an operator stops Kafka. */
	void stop() throws InterruptedException {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroy();
			if (!this.process.waitFor(60, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
				this.process.waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

	void createTopics(List<String> names, int partitions) throws Exception {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
			admin.createTopics(names.stream().map((n) -> new NewTopic(n, partitions, (short) 1)).toList()).all().get();
		}
	}

	@Override
	public void close() throws Exception {
		stop();
		try (Stream<Path> files = Files.walk(this.home)) {
			files.sorted(Comparator.reverseOrder()).forEach((p) -> p.toFile().delete());
		}
	}

	private static Path libs() {
		String state = System.getenv("CLARA_STATE_DIR");
		Path base = (state != null && !state.isBlank()) ? Path.of(state) : Path.of("..", ".local");
		Path libs = base.resolve("kafka").resolve("libs");
		if (!Files.isDirectory(libs)) {
			throw new IllegalStateException("No Kafka broker jars in " + libs.toAbsolutePath()
					+ ": run deploy/kafka.sh install (./clara test does)");
		}
		return libs.toAbsolutePath();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static String java() {
		return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
	}

}
