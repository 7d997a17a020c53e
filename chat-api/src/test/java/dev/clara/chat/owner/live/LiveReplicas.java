package dev.clara.chat.owner.live;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.clara.chat.ChatApiApplication;
import dev.clara.chat.ChatApiDatabase;
import dev.clara.chat.ChatApiTestConfiguration;
import dev.clara.shared.events.EventHeaders;
import dev.clara.testing.LocalKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two chat-api replicas on one database and one set of private topics, and what the relay would
 * do for them: publish their outbox rows on the topic of each event type.
 */
final class LiveReplicas implements AutoCloseable {

	static final String JWT_SECRET = "live-updates-test-jwt-secret-0123456789abcdef";

	static final int STREAMS_PER_WORKSPACE = 2;

	/** Event type → its topic (as the relay's routes), every one private to this run. */
	final Map<String, String> topics = new LinkedHashMap<>();

	final JdbcClient jdbc = JdbcClient.create(ChatApiDatabase.get().dataSource());

	final ConfigurableApplicationContext first;

	final ConfigurableApplicationContext second;

	private final KafkaProducer<String, String> producer = LocalKafka.producer();

	private final Set<UUID> relayed = new HashSet<>();

	LiveReplicas() {
		Map<String, String> properties = new LinkedHashMap<>();
		String[][] routes = { { "QuestionAsked", "questions" }, { "GapDetected", "gaps" },
				{ "QaPairChanged", "qa-pair-changes" }, { "QaPairEmbedded", "qa-pair-embedded" },
				{ "AnswerModelTrained", "answer-models" }, { "AnswerRated", "feedback" },
				{ "SpendCapReached", "spend-caps" }, { "ImportProgressed", "imports" },
				{ "DocumentChanged", "document-changes" }, { "DocumentIngested", "document-ingested" } };
		for (String[] route : routes) {
			String topic = LocalKafka.createTopic("live." + route[1], 3);
			this.topics.put(route[0], topic);
			properties.put("clara.topics." + route[1], topic);
		}
		this.first = replica(properties);
		this.second = replica(properties);
	}

	private static ConfigurableApplicationContext replica(Map<String, String> topics) {
		List<String> arguments = new java.util.ArrayList<>(List.of("--server.port=0",
				"--spring.datasource.url=" + ChatApiDatabase.get().jdbcUrl(), "--spring.datasource.username=postgres",
				"--spring.kafka.bootstrap-servers=" + LocalKafka.bootstrapServers(), "--clara.openai.api-key=",
				"--clara.master-keys.keys=test-1:" + ChatApiTestConfiguration.MASTER_KEY,
				"--clara.master-keys.current=test-1", "--clara.owner.jwt.secret=" + JWT_SECRET,
				"--clara.chat.rate-limit.per-ip=100000", "--clara.chat.rate-limit.per-session=100000",
				"--clara.chat.rate-limit.per-workspace=100000", "--clara.chat.rate-limit.per-network=100000",
				"--clara.live.enabled=true", "--clara.live.heartbeat=500ms",
				"--clara.live.max-streams-per-workspace=" + STREAMS_PER_WORKSPACE));
		topics.forEach((name, value) -> arguments.add("--" + name + "=" + value));
		return new SpringApplicationBuilder(ChatApiApplication.class).run(arguments.toArray(String[]::new));
	}

	static int port(ConfigurableApplicationContext replica) {
		return Integer.parseInt(replica.getEnvironment().getRequiredProperty("local.server.port"));
	}

	static LiveStreams streams(ConfigurableApplicationContext replica) {
		return replica.getBean(LiveStreams.class);
	}

	static boolean reading(ConfigurableApplicationContext replica) {
		return replica.getBean(LiveFeed.class).reading();
	}

	/** A signed-in owner (the database makes their workspace) and a bearer token for them. */
	record Owner(UUID userId, UUID workspaceId, String token) {
	}

	Owner owner() {
		UUID user = UUID.randomUUID();
		this.jdbc.sql("INSERT INTO auth.users (id, email) VALUES (:id, :email)")
			.param("id", user)
			.param("email", "live-" + user + "@example.test")
			.update();
		UUID workspace = this.jdbc.sql("SELECT id FROM workspaces WHERE owner_id = :owner")
			.param("owner", user)
			.query(UUID.class)
			.single();
		return new Owner(user, workspace, jwt(user));
	}

	/** Publishes the outbox rows of the workspace not published yet, as the relay does. */
	synchronized int relay(UUID workspace) {
		List<Map<String, Object>> rows = this.jdbc
			.sql("SELECT id, event_type, event_version, payload::text AS payload FROM outbox_events "
					+ "WHERE workspace_id = :ws ORDER BY created_at, occurred_at")
			.param("ws", workspace)
			.query()
			.listOfRows();
		int sent = 0;
		for (Map<String, Object> row : rows) {
			UUID id = (UUID) row.get("id");
			if (this.relayed.add(id)) {
				String type = (String) row.get("event_type");
				publish(this.topics.get(type), workspace.toString(), (String) row.get("payload"), id.toString(), type,
						row.get("event_version").toString());
				sent++;
			}
		}
		return sent;
	}

	void publish(String topic, String key, String value, String eventId, String type, String version) {
		ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
		if (type != null) {
			record.headers().add(EventHeaders.EVENT_ID, eventId.getBytes(StandardCharsets.UTF_8));
			record.headers().add(EventHeaders.EVENT_TYPE, type.getBytes(StandardCharsets.UTF_8));
			record.headers().add(EventHeaders.EVENT_VERSION, version.getBytes(StandardCharsets.UTF_8));
		}
		try {
			this.producer.send(record).get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause());
		}
	}

	private static String jwt(UUID user) {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(user.toString())
			.claim("role", "authenticated")
			.audience("authenticated")
			.expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1))))
			.issueTime(new Date())
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
		try {
			jwt.sign(new MACSigner(JWT_SECRET.getBytes(StandardCharsets.UTF_8)));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return jwt.serialize();
	}

	@Override
	public void close() {
		this.producer.close();
		this.first.close();
		this.second.close();
	}

}
