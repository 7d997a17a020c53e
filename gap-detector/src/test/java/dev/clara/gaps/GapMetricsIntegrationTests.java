package dev.clara.gaps;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.QaPairEmbedded;
import dev.clara.testing.PrometheusScrape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The detector's meters on its management port (README.md, "Metrics"): events processed and
 * timed by type, gaps opened and closed, and the Kafka client's lag of the consumer group.
 */
class GapMetricsIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	static GapFixture fixture;

	static ConfigurableApplicationContext detector;

	static String group = "gap-detector-" + UUID.randomUUID();

	@BeforeAll
	static void start() {
		fixture = new GapFixture("gap_detector_metrics");
		detector = new SpringApplicationBuilder(GapDetectorApplication.class)
			.run(fixture.detectorArguments(group).toArray(String[]::new));
	}

	@AfterAll
	static void stop() {
		detector.close();
		fixture.close();
	}

	@Test
	void aGapOpenedAndClosedShowsOnTheManagementPortOnly() {
		int managementPort = Integer.parseInt(detector.getEnvironment().getProperty("local.management.port"));
		int serverPort = Integer.parseInt(detector.getEnvironment().getProperty("local.server.port"));
		UUID workspace = fixture.workspace();
		fixture.publish(fixture.questions,
				fixture.gapQuestion(workspace, fixture.conversation(workspace), "Can I pay by invoice?", Instant.now()));
		await().atMost(WAIT).until(() -> fixture.gaps(workspace).size() == 1);
		UUID invoice = fixture.embeddedPair(workspace, "Can I pay with an invoice?");
		EventEnvelope<QaPairEmbedded> answer = fixture.embedded(workspace, invoice, "Can I pay with an invoice?");
		fixture.publish(fixture.pairsEmbedded, answer);
		await().atMost(WAIT).until(() -> fixture.processed(answer.eventId()) == 1);

		// the counters move after the transaction commits: wait for the scrape rather than assume
		await().atMost(WAIT).until(() -> PrometheusScrape.of(managementPort)
			.value("clara_gaps_closed_total", "by=\"pair\"") >= 1);
		PrometheusScrape scrape = PrometheusScrape.of(managementPort);
		assertThat(scrape.status()).isEqualTo(200);
		assertThat(scrape.value("clara_gaps_processed_total", "event=\"question_asked\"")).isGreaterThanOrEqualTo(1);
		assertThat(scrape.value("clara_gaps_processing_seconds_count", "event=\"question_asked\"")).isGreaterThanOrEqualTo(1);
		assertThat(scrape.value("clara_gaps_processing_seconds_count", "event=\"qa_pair_embedded\"")).isGreaterThanOrEqualTo(1);
		assertThat(scrape.value("clara_gaps_opened_total")).isGreaterThanOrEqualTo(1);
		// the Kafka client's own figures, per client (the client id names the group)
		await().atMost(WAIT).until(() -> PrometheusScrape.of(managementPort)
			.has("kafka_consumer_fetch_manager_records_lag_max", "client_id=\"consumer-" + group));
		assertThat(scrape.text()).doesNotContain(workspace.toString());
		assertThat(PrometheusScrape.of(serverPort).status()).as("not on the service port").isEqualTo(404);
		PrometheusScrape health = PrometheusScrape.get(serverPort, "/actuator/health");
		assertThat(health.status()).as("health stays on the service port").isEqualTo(200);
		assertThat(health.text()).contains("\"UP\"");
	}

}
