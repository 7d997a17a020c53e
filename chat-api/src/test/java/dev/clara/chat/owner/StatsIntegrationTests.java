package dev.clara.chat.owner;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;

import dev.clara.chat.ChatApiHttp;
import dev.clara.chat.ChatApiHttp.Reply;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The overview's questions per day and the calibration histogram, counted from chat turns as the
 * chat path stores them (assistant messages' metadata, conversations' {@code escalated_at}).
 */
class StatsIntegrationTests extends OwnerIntegrationTest {

	@Test
	void dailyStatsCountEveryUtcDayOfTheOwnersWorkspaceOnly() {
		Owner owner = owner();
		Owner other = owner();
		this.workspaces.saasKnowledgeBase(owner.workspaceId());
		// one real turn through the public chat path: its stored shape is what the query reads
		assertThat(this.http.chat(owner.workspaceId(), ChatApiHttp.token(), "Can I get a refund?").status())
			.isEqualTo(200);
		UUID today = conversation(owner, "now()", false);
		turn(owner, today, "{\"confidence\":0.91,\"gap_detected\":false}", "now()");
		turn(owner, today, "{\"confidence\":0.2,\"gap_detected\":true,\"escalation_offered\":true}", "now()");
		UUID twoDaysAgo = conversation(owner, "now() - interval '2 days'", true);
		turn(owner, twoDaysAgo, "{\"confidence\":0.4,\"gap_detected\":true}", "now() - interval '2 days'");
		turn(owner, twoDaysAgo, "{}", "now() - interval '2 days'");
		UUID longAgo = conversation(owner, "now() - interval '40 days'", true);
		turn(owner, longAgo, "{\"confidence\":0.9,\"gap_detected\":false}", "now() - interval '40 days'");
		UUID others = conversation(other, "now()", true);
		turn(other, others, "{\"confidence\":0.9,\"gap_detected\":false}", "now()");

		JsonNode days = get(owner.token(), "/api/owner/stats/daily").json().get("days");
		LocalDate now = LocalDate.now(ZoneOffset.UTC);
		assertThat(days).hasSize(30);
		assertThat(days.get(0).get("date").asString()).isEqualTo(now.minusDays(29).toString());
		JsonNode last = days.get(29);
		assertThat(last.get("date").asString()).isEqualTo(now.toString());
		// the real turn (answered: the pair is in the knowledge base) and the two stored here
		assertThat(last.get("questions").asLong()).isEqualTo(3);
		assertThat(last.get("answered").asLong()).isEqualTo(2);
		assertThat(last.get("flagged").asLong()).isEqualTo(1);
		assertThat(last.get("escalations").asLong()).isZero();
		JsonNode before = days.get(27);
		assertThat(before.get("questions").asLong()).isEqualTo(2);
		// a reply without a stored confidence is flagged
		assertThat(before.get("flagged").asLong()).isEqualTo(2);
		assertThat(before.get("answered").asLong()).isZero();
		assertThat(before.get("escalations").asLong()).isEqualTo(1);
		assertThat(days.get(10).get("questions").asLong()).isZero();

		JsonNode year = get(owner.token(), "/api/owner/stats/daily?days=366").json().get("days");
		assertThat(year).hasSize(366);
		long total = 0;
		long escalations = 0;
		for (JsonNode day : year) {
			total += day.get("questions").asLong();
			escalations += day.get("escalations").asLong();
		}
		assertThat(total).isEqualTo(6);
		assertThat(escalations).isEqualTo(2);
		assertThat(get(owner.token(), "/api/owner/stats/daily?days=1").json().get("days")).hasSize(1);
	}

	@Test
	void dailyStatsRefuseBadDaysWithAProblem() {
		Owner owner = owner();
		for (String days : new String[] { "0", "367", "-3", "ten", "1.5", "99999999999" }) {
			Reply reply = get(owner.token(), "/api/owner/stats/daily?days=" + days);
			assertThat(reply.status()).as(days).isEqualTo(400);
			assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
			assertThat(reply.json().get("field_errors").get("days").asString()).contains("1 to 366");
		}
		assertThat(get(null, "/api/owner/stats/daily").status()).isEqualTo(401);
	}

	@Test
	void calibrationBinsTheStoredConfidencesOfThePeriod() {
		Owner owner = owner();
		Owner other = owner();
		UUID conversation = conversation(owner, "now()", false);
		turn(owner, conversation, "{\"confidence\":0.29,\"gap_detected\":true}", "now()");
		turn(owner, conversation, "{\"confidence\":0.29,\"gap_detected\":true}", "now() - interval '3 days'");
		turn(owner, conversation, "{\"confidence\":1.0,\"gap_detected\":false}", "now()");
		turn(owner, conversation, "{\"confidence\":0,\"gap_detected\":true}", "now()");
		turn(owner, conversation, "{\"confidence\":0.675,\"gap_detected\":false}", "now()");
		turn(owner, conversation, "{\"gap_detected\":true}", "now()");
		turn(owner, conversation, "{\"confidence\":0.5,\"gap_detected\":true}", "now() - interval '10 days'");
		turn(other, conversation(other, "now()", false), "{\"confidence\":0.5,\"gap_detected\":true}", "now()");
		this.jdbc.sql("UPDATE workspaces SET settings = settings || '{\"confidence_threshold\": 0.8}' WHERE id = :ws")
			.param("ws", owner.workspaceId())
			.update();
		double modelDefault = get(owner.token(), "/api/owner/workspace").json().get("default_confidence_threshold")
			.asDouble();

		JsonNode week = get(owner.token(), "/api/owner/calibration?days=7").json();
		assertThat(week.get("days").asInt()).isEqualTo(7);
		assertThat(week.get("questions").asLong()).isEqualTo(6);
		assertThat(week.get("unmatched").asLong()).isEqualTo(1);
		assertThat(week.get("threshold").asDouble()).isEqualTo(0.8);
		assertThat(week.get("model_threshold").asDouble()).isEqualTo(modelDefault);
		JsonNode bins = week.get("bins");
		assertThat(bins).hasSize(100);
		assertThat(bins.get(29).asLong()).isEqualTo(2);
		assertThat(bins.get(99).asLong()).isEqualTo(1);
		assertThat(bins.get(0).asLong()).isEqualTo(1);
		assertThat(bins.get(67).asLong()).isEqualTo(1);
		long binned = 0;
		for (JsonNode bin : bins) {
			binned += bin.asLong();
		}
		assertThat(binned + week.get("unmatched").asLong()).isEqualTo(week.get("questions").asLong());

		JsonNode month = get(owner.token(), "/api/owner/calibration?days=30").json();
		assertThat(month.get("questions").asLong()).isEqualTo(7);
		assertThat(month.get("bins").get(50).asLong()).isEqualTo(1);
		assertThat(get(owner.token(), "/api/owner/calibration").json().get("days").asInt()).isEqualTo(7);

		this.jdbc.sql("UPDATE workspaces SET settings = settings - 'confidence_threshold' WHERE id = :ws")
			.param("ws", owner.workspaceId())
			.update();
		assertThat(get(owner.token(), "/api/owner/calibration?days=7").json().get("threshold").asDouble())
			.isEqualTo(modelDefault);
	}

	@Test
	void calibrationAcceptsOnlySevenOrThirtyDays() {
		Owner owner = owner();
		for (String days : new String[] { "1", "14", "31", "week", "" + Long.MAX_VALUE }) {
			Reply reply = get(owner.token(), "/api/owner/calibration?days=" + days);
			assertThat(reply.status()).as(days).isEqualTo(400);
			assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
			assertThat(reply.json().get("field_errors").get("days").asString()).isEqualTo("must be 7 or 30");
		}
		assertThat(get(null, "/api/owner/calibration").status()).isEqualTo(401);
	}

	/** A widget conversation created at {@code at} (SQL), escalated then when {@code escalated}. */
	private UUID conversation(Owner owner, String at, boolean escalated) {
		return this.jdbc.sql("INSERT INTO conversations (workspace_id, session_token, created_at, escalated, escalated_at) "
				+ "VALUES (:ws, :token, " + at + ", :escalated, CASE WHEN :escalated THEN " + at + " END) RETURNING id")
			.param("ws", owner.workspaceId())
			.param("token", ChatApiHttp.token())
			.param("escalated", escalated)
			.query(UUID.class)
			.single();
	}

	/** A turn as the chat path writes it: the visitor's message and Clara's with {@code metadata}. */
	private void turn(Owner owner, UUID conversation, String metadata, String at) {
		for (String role : new String[] { "user", "assistant" }) {
			this.jdbc.sql("INSERT INTO messages (conversation_id, workspace_id, role, content, metadata, created_at) "
					+ "VALUES (:c, :ws, :role, 'text', CAST(:metadata AS jsonb), " + at + ")")
				.param("c", conversation)
				.param("ws", owner.workspaceId())
				.param("role", role)
				.param("metadata", role.equals("user") ? "{}" : metadata)
				.update();
		}
	}

}
