package dev.clara.chat.turn;

import java.util.UUID;

import dev.clara.chat.ChatApiHttp;
import dev.clara.chat.ChatApiHttp.Reply;
import dev.clara.chat.ChatApiIntegrationTest;
import dev.clara.testing.PrometheusScrape;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The turn's meters on the management port (README.md, "Metrics"), and nothing of the actuator but
 * health on the public port.
 */
class TurnMetricsIntegrationTests extends ChatApiIntegrationTest {

	@Value("${local.management.port}")
	int managementPort;

	@Test
	void thePublicPortServesHealthButNoMetrics() {
		assertThat(this.managementPort).isNotEqualTo(this.port);

		assertThat(this.http.get("/actuator/prometheus", null).status()).isEqualTo(404);
		Reply health = this.http.get("/actuator/health", null);
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.json().get("status").asString()).isEqualTo("UP");
		assertThat(health.json().has("components")).as("no details on the public port").isFalse();
		assertThat(this.http.get("/actuator/health/db", null).status()).isEqualTo(404);
	}

	@Test
	void turnsShowOnTheManagementPortByStageAndOutcomeWithoutTenantLabels() {
		UUID workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(workspace);
		PrometheusScrape before = PrometheusScrape.of(this.managementPort);

		assertThat(this.http.chat(workspace, ChatApiHttp.token(), "What's the price of the pro plan?").status())
			.isEqualTo(200);
		assertThat(this.http.chat(workspace, ChatApiHttp.token(), "What is the capital of Mongolia?").status())
			.isEqualTo(200);
		PrometheusScrape after = PrometheusScrape.of(this.managementPort);

		assertThat(after.status()).isEqualTo(200);
		assertThat(after.contentType()).startsWith("text/plain");
		for (String stage : new String[] { "embed", "search", "choose", "answer", "write" }) {
			assertThat(increase(before, after, "clara_chat_turn_stage_seconds_count", "stage=\"" + stage + "\""))
				.as("turns timed in stage %s", stage)
				.isGreaterThanOrEqualTo(2);
		}
		assertThat(increase(before, after, "clara_chat_turns_total", "outcome=\"answered\"")).isGreaterThanOrEqualTo(1);
		assertThat(increase(before, after, "clara_chat_turns_total", "outcome=\"gap\"")).isGreaterThanOrEqualTo(1);
		assertThat(after.has("clara_chat_turns_total", "outcome=\"error\"")).isTrue();
		assertThat(increase(before, after, "clara_chat_turn_seconds_count", "outcome=\"answered\"")).isGreaterThanOrEqualTo(1);
		// a percentile histogram: buckets Prometheus computes p50/p95/p99 from
		assertThat(after.has("clara_chat_turn_seconds_bucket", "outcome=\"gap\"", "le=\"+Inf\"")).isTrue();
		assertThat(after.has("clara_chat_turn_stage_seconds_bucket", "stage=\"embed\"")).isTrue();
		assertThat(after.text()).as("no workspace id in any label").doesNotContain(workspace.toString());
	}

	private static double increase(PrometheusScrape before, PrometheusScrape after, String name, String... labels) {
		return after.value(name, labels) - before.value(name, labels);
	}

}
