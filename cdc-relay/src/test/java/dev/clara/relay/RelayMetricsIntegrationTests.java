package dev.clara.relay;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.clara.relay.core.CdcRelay;
import dev.clara.relay.core.RelayMonitor;
import dev.clara.testing.PrometheusScrape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The relay service's meters on its management port (README.md, "Metrics"): records published by
 * topic, commit→publish latency, the replication slot's lag.
 */
class RelayMetricsIntegrationTests {

	private RelayFixture fixture;

	private ConfigurableApplicationContext relay;

	@BeforeEach
	void setUp() {
		this.fixture = RelayFixture.create("metrics");
		List<String> args = new ArrayList<>(RelayProcess.args(this.fixture.settings().build(), 0));
		args.add("--management.server.port=0");
		args.add("--clara.relay.metrics.slot-lag-interval=200ms");
		this.relay = new SpringApplicationBuilder(CdcRelayApplication.class).run(args.toArray(String[]::new));
	}

	@AfterEach
	void tearDown() {
		this.relay.close();
		this.fixture.close();
	}

	@Test
	void aRelayedTurnShowsOnTheManagementPortOnly() throws Exception {
		int managementPort = Integer.parseInt(this.relay.getEnvironment().getProperty("local.management.port"));
		int serverPort = Integer.parseInt(this.relay.getEnvironment().getProperty("local.server.port"));
		CdcRelay cdc = this.relay.getBean(CdcRelay.class);
		await().atMost(Duration.ofSeconds(90)).until(() -> cdc.monitor().role() == RelayMonitor.Role.ACTIVE
				&& cdc.monitor().engineRunning());
		UUID workspace;
		try (Connection c = this.fixture.connect()) {
			workspace = this.fixture.newWorkspace();
			this.fixture.commitTurn(c, workspace, "Do you ship to Norway?");
		}

		String topic = "topic=\"" + this.fixture.questions + "\"";
		await().atMost(Duration.ofSeconds(90)).until(() -> PrometheusScrape.of(managementPort)
			.value("clara_relay_records_published_total", topic) >= 1);
		PrometheusScrape scrape = PrometheusScrape.of(managementPort);
		assertThat(scrape.value("clara_relay_commit_to_publish_seconds_count")).isGreaterThanOrEqualTo(1);
		assertThat(scrape.value("clara_relay_commit_to_publish_seconds_sum")).isPositive();
		assertThat(scrape.has("clara_relay_commit_to_publish_seconds_bucket", "le=\"+Inf\"")).isTrue();
		// read on its own interval: a number of bytes once the first read is done
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			PrometheusScrape now = PrometheusScrape.of(managementPort);
			return now.has("clara_relay_slot_lag_bytes", "slot=\"" + this.fixture.slot + "\"")
					&& !Double.isNaN(now.value("clara_relay_slot_lag_bytes")) && now.value("clara_relay_slot_lag_bytes") >= 0;
		});
		assertThat(scrape.text()).doesNotContain(workspace.toString());
		assertThat(PrometheusScrape.of(serverPort).status()).as("not on the service port").isEqualTo(404);
		PrometheusScrape health = PrometheusScrape.get(serverPort, "/actuator/health");
		assertThat(health.status()).as("health stays on the service port").isEqualTo(200);
		assertThat(health.text()).contains("\"UP\"");
		assertThat(cdc.monitor().published()).isGreaterThanOrEqualTo(1);
	}

}
