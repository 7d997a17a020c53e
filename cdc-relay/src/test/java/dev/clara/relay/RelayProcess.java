package dev.clara.relay;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.clara.relay.core.RelaySettings;
import dev.clara.shared.events.QaPairEmbedded;
import dev.clara.testing.ServiceProcess;

/**
 * The relay as a real service in a JVM of its own ({@code CdcRelayApplication}, the jar's main
 * class, on the test classpath), so tests can kill -9 it and read its health endpoint.
 */
final class RelayProcess implements AutoCloseable {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ServiceProcess service;

	final Process process;

	final int port;

	final Path log;

	private RelayProcess(ServiceProcess service, int port) {
		this.service = service;
		this.process = service.process();
		this.port = port;
		this.log = service.log();
	}

	/** Starts the relay service on the fixture's database, slot and topics. */
	static RelayProcess start(RelaySettings settings, String name, String... extraArgs) throws IOException {
		int port = freePort();
		List<String> arguments = new ArrayList<>(args(settings, port));
		arguments.addAll(List.of(extraArgs));
		ServiceProcess service = ServiceProcess.start(CdcRelayApplication.class, "relay-" + name + "-" + port,
				List.of("-XX:TieredStopAtLevel=1"), arguments);
		return new RelayProcess(service, port);
	}

	static List<String> args(RelaySettings s, int port) {
		List<String> args = new ArrayList<>(List.of("--server.port=" + port, "--spring.datasource.url=" + s.jdbcUrl(),
				"--spring.datasource.username=" + s.user(), "--spring.datasource.password=" + s.password(),
				"--spring.datasource.hikari.maximum-pool-size=4",
				"--spring.kafka.bootstrap-servers=" + s.kafkaBootstrapServers(), "--clara.relay.slot-name=" + s.slotName(),
				"--clara.relay.publication-name=" + s.publicationName(),
				"--clara.topics.questions=" + s.routes().get("QuestionAsked"),
				"--clara.topics.gaps=" + s.routes().get("GapDetected"),
				"--clara.topics.qa-pair-changes=" + s.qaPairChangesTopic(),
				"--clara.topics.qa-pair-embedded=" + s.routes().get(QaPairEmbedded.TYPE),
				"--clara.topics.outbox-dead-letter=" + s.deadLetterTopic(),
				"--clara.relay.heartbeat-interval=" + s.heartbeatInterval().toMillis() + "ms",
				"--clara.relay.max-backoff=" + s.maxBackoff().toMillis() + "ms",
				"--clara.embedding.model=" + s.embeddingModel(), "--logging.level.io.debezium=WARN",
				"--logging.level.io.debezium.connector.postgresql.TypeRegistry=ERROR",
				"--logging.level.org.apache.kafka=WARN"));
		return args;
	}

	/** Runs the jar's recovery command ({@code --replay-outbox-since}) to its end; returns the exit status. */
	static int runRecovery(RelaySettings settings, String since) throws Exception {
		RelayProcess recovery = start(settings, "recovery", "--replay-outbox-since=" + since);
		if (!recovery.process.waitFor(120, TimeUnit.SECONDS)) {
			recovery.process.destroyForcibly();
			throw new AssertionError("the recovery command did not finish; see " + recovery.log);
		}
		return recovery.process.exitValue();
	}

	/** The health endpoint's JSON, or null when it does not answer. */
	JsonNode health() {
		try {
			HttpResponse<String> response = HTTP.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/health"))
				.timeout(Duration.ofSeconds(3))
				.build(), HttpResponse.BodyHandlers.ofString());
			return JSON.readTree(response.body());
		}
		catch (Exception ex) {
			return null;
		}
	}

	/** {@code components.cdcRelay.details.role}, or null. */
	String role() {
		JsonNode health = health();
		if (health == null) {
			return null;
		}
		JsonNode role = health.path("components").path("cdcRelay").path("details").path("role");
		return role.isMissingNode() ? null : role.asString();
	}

	String logText() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			return "";
		}
	}

	/** kill -9: no shutdown hook, no offset flush, nothing. */
	void kill9() throws InterruptedException {
		this.service.kill();
	}

	@Override
	public void close() throws InterruptedException {
		this.service.close();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
