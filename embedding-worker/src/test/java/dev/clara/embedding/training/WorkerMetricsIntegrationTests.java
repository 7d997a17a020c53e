package dev.clara.embedding.training;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import dev.clara.embedding.EmbeddingWorkerApplication;
import dev.clara.shared.embedding.EmbeddingProvider;
import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.EventHeaders;
import dev.clara.shared.events.QaPairChanged;
import dev.clara.testing.LocalKafka;
import dev.clara.testing.PrometheusScrape;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker's meters on its management port (README.md, "Metrics"): vectors embedded and batches
 * timed by model, training runs and the highest model version, the consumer groups' lag.
 */
class WorkerMetricsIntegrationTests {

	static TrainerFixture fixture;

	static ConfigurableApplicationContext worker;

	static String model;

	static int managementPort;

	@BeforeAll
	static void start() {
		fixture = new TrainerFixture("worker_metrics");
		List<String> args = new ArrayList<>(fixture.workerArguments());
		args.add("--clara.trainer.quiet=1s");
		worker = new SpringApplicationBuilder(EmbeddingWorkerApplication.class).run(args.toArray(String[]::new));
		model = worker.getBean(EmbeddingProvider.class).modelId();
		managementPort = Integer.parseInt(worker.getEnvironment().getProperty("local.management.port"));
	}

	@AfterAll
	static void stop() {
		worker.close();
		fixture.close();
	}

	@Test
	void healthStaysOnTheServicePortAndMetricsDoNot() {
		int serverPort = Integer.parseInt(worker.getEnvironment().getProperty("local.server.port"));
		assertThat(managementPort).isNotEqualTo(serverPort);
		assertThat(PrometheusScrape.of(serverPort).status()).as("not on the service port").isEqualTo(404);
		PrometheusScrape health = PrometheusScrape.get(serverPort, "/actuator/health");
		assertThat(health.status()).as("health stays on the service port").isEqualTo(200);
		assertThat(health.text()).contains("\"UP\"");
	}

	@Test
	void embeddingsShowByModelOnTheManagementPort() {
		UUID workspace = fixture.workspace();
		EventCodec codec = new EventCodec();
		try (KafkaProducer<String, String> producer = LocalKafka.producer()) {
			for (int i = 0; i < 5; i++) {
				String question = "How do I export report number " + i + "?";
				UUID pair = fixture.jdbc
					.sql("INSERT INTO qa_pairs (workspace_id, question, answer) VALUES (:ws, :q, 'an answer') RETURNING id")
					.param("ws", workspace)
					.param("q", question)
					.query(UUID.class)
					.single();
				EventEnvelope<QaPairChanged> change = EventCodec.envelope(workspace, Instant.now(),
						new QaPairChanged(pair, QaPairChanged.CREATED, question, null, true, null, Instant.now(), 0));
				ProducerRecord<String, String> record = new ProducerRecord<>(fixture.changesTopic, workspace.toString(),
						codec.toJson(change));
				record.headers().add(EventHeaders.EVENT_ID, change.eventId().toString().getBytes());
				record.headers().add(EventHeaders.EVENT_TYPE, change.eventType().getBytes());
				producer.send(record);
			}
		}

		await().atMost(Duration.ofSeconds(60)).until(() -> PrometheusScrape.of(managementPort)
			.value("clara_embedding_embedded_total", "model=\"" + model + "\"") >= 5);
		PrometheusScrape scrape = PrometheusScrape.of(managementPort);
		assertThat(scrape.value("clara_embedding_batch_seconds_count", "model=\"" + model + "\"")).isGreaterThanOrEqualTo(1);
		assertThat(scrape.has("clara_embedding_batch_seconds_bucket", "model=\"" + model + "\"")).isTrue();
		// the Kafka client's own figures, per client; the client id names the group
		await().atMost(Duration.ofSeconds(30)).until(() -> PrometheusScrape.of(managementPort)
			.has("kafka_consumer_fetch_manager_records_lag_max", "client_id=\"consumer-embedding-worker-"));
		assertThat(scrape.text()).doesNotContain(workspace.toString());
	}

	@Test
	void aTrainingRunAndTheModelVersionShowOnTheManagementPort() {
		UUID workspace = fixture.workspace();
		List<float[]> directions = IntStream.range(0, 4).mapToObj(i -> fixture.direction()).toList();
		List<UUID> pairs = fixture.insertPairs(workspace, model, directions, 3, "metrics");

		fixture.publishEmbedded(workspace, pairs, model);

		await().atMost(Duration.ofSeconds(60)).until(() -> PrometheusScrape.of(managementPort)
			.value("clara_trainer_runs_seconds_count", "outcome=\"trained\"") >= 1);
		PrometheusScrape scrape = PrometheusScrape.of(managementPort);
		assertThat(scrape.value("clara_trainer_models_total")).isGreaterThanOrEqualTo(1);
		assertThat(scrape.value("clara_trainer_model_version_max")).isGreaterThanOrEqualTo(1);
		assertThat(scrape.text()).doesNotContain(workspace.toString());
	}

}
