package dev.clara.chat.owner;

import java.util.stream.Stream;

import dev.clara.chat.ChatApiHttp.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class WorkspaceIntegrationTests extends OwnerIntegrationTest {

	@Test
	void readAndRename() {
		Owner owner = owner();
		JsonNode workspace = get(owner.token(), "/api/owner/workspace").json();
		assertThat(workspace.get("name").asString()).isEqualTo("My Chatbot");
		assertThat(workspace.get("settings").get("display_name").asString()).isEqualTo("Clara");
		assertThat(workspace.get("default_confidence_threshold").asDouble()).isEqualTo(0.37);
		Reply renamed = patch(owner.token(), "/api/owner/workspace", json("name", "Brightdesk help"));
		assertThat(renamed.json().get("name").asString()).isEqualTo("Brightdesk help");
		assertThat(patch(owner.token(), "/api/owner/workspace", json("name", "")).status()).isEqualTo(400);
		assertThat(patch(owner.token(), "/api/owner/workspace", json("owner_id", owner.userId().toString())).status())
			.isEqualTo(400);
	}

	@Test
	void settingsUpdateMergesAndValidates() {
		Owner owner = owner();
		Reply updated = patch(owner.token(), "/api/owner/workspace/settings",
				"{\"confidence_threshold\": 0.8, \"max_suggestion_chips\": 5, \"primary_color\": \"#112233\","
						+ "\"suggested_messages\": [\"Pricing?\", \"Trial?\"], \"booking_url\": \"https://cal.example.com/me\","
						+ "\"allowed_origins\": [\"https://www.example.com\", \"http://localhost:3000\"], \"bubble_position\": \"left\"}");
		assertThat(updated.status()).isEqualTo(200);
		JsonNode settings = updated.json();
		assertThat(settings.get("confidence_threshold").asDouble()).isEqualTo(0.8);
		assertThat(settings.get("welcome_message").asString()).as("untouched").isEqualTo("Hi! How can I help you today?");
		assertThat(settings.get("allowed_origins")).hasSize(2);

		// null threshold: back to the model's default
		assertThat(patch(owner.token(), "/api/owner/workspace/settings", "{\"confidence_threshold\": null}").json()
			.get("confidence_threshold").isNull()).isTrue();

		// PUT replaces: what is left out returns to the defaults
		Reply replaced = put(owner.token(), "/api/owner/workspace/settings", "{\"display_name\": \"Brighty\"}");
		assertThat(replaced.json().get("display_name").asString()).isEqualTo("Brighty");
		assertThat(replaced.json().get("primary_color").asString()).isEqualTo("#6366f1");
		assertThat(replaced.json().get("allowed_origins")).isEmpty();
		assertThat(replaced.json().get("max_suggestion_chips").asInt()).isEqualTo(3);
	}

	static Stream<Arguments> badSettings() {
		return Stream.of(Arguments.of("{\"confidence_threshold\": 0.3}", "confidence_threshold"),
				Arguments.of("{\"confidence_threshold\": 0.99}", "confidence_threshold"),
				Arguments.of("{\"confidence_threshold\": \"high\"}", "confidence_threshold"),
				Arguments.of("{\"max_suggestion_chips\": 0}", "max_suggestion_chips"),
				Arguments.of("{\"max_suggestion_chips\": 6}", "max_suggestion_chips"),
				Arguments.of("{\"max_suggestion_chips\": 2.5}", "max_suggestion_chips"),
				Arguments.of("{\"suggested_messages\": [\"1\",\"2\",\"3\",\"4\",\"5\",\"6\"]}", "suggested_messages"),
				Arguments.of("{\"suggested_messages\": \"hi\"}", "suggested_messages"),
				Arguments.of("{\"primary_color\": \"red\"}", "primary_color"),
				Arguments.of("{\"bubble_color\": \"#12345\"}", "bubble_color"),
				Arguments.of("{\"bubble_position\": \"top\"}", "bubble_position"),
				Arguments.of("{\"booking_url\": \"javascript:alert(1)\"}", "booking_url"),
				Arguments.of("{\"booking_url\": \"not a url\"}", "booking_url"),
				Arguments.of("{\"avatar_url\": \"ftp://x.example.com/a.png\"}", "avatar_url"),
				Arguments.of("{\"allowed_origins\": [\"https://example.com/path\"]}", "allowed_origins"),
				Arguments.of("{\"allowed_origins\": [\"example.com\"]}", "allowed_origins"),
				Arguments.of("{\"allowed_origins\": \"https://example.com\"}", "allowed_origins"),
				Arguments.of("{\"escalation_enabled\": \"yes\"}", "escalation_enabled"),
				Arguments.of("{\"display_name\": \"\"}", "display_name"),
				Arguments.of("{\"personality_prompt\": 5}", "personality_prompt"),
				Arguments.of("{\"favourite_colour\": \"blue\"}", "body"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badSettings")
	void badSettingsAreRefusedWithFieldErrors(String body, String field) {
		Owner owner = owner();
		String before = get(owner.token(), "/api/owner/workspace/settings").body();
		Reply reply = patch(owner.token(), "/api/owner/workspace/settings", body);
		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
		assertThat(reply.json().get("field_errors").has(field)).as(reply.body()).isTrue();
		assertThat(get(owner.token(), "/api/owner/workspace/settings").body()).isEqualTo(before);
	}

	@Test
	void allWrongFieldsAreNamedAtOnce() {
		Owner owner = owner();
		Reply reply = patch(owner.token(), "/api/owner/workspace/settings",
				"{\"confidence_threshold\": 2, \"max_suggestion_chips\": 9, \"primary_color\": \"x\"}");
		assertThat(reply.json().get("field_errors").propertyNames()).containsExactlyInAnyOrder("confidence_threshold",
				"max_suggestion_chips", "primary_color");
		assertThat(patch(owner.token(), "/api/owner/workspace/settings", "[1]").status()).isEqualTo(400);
		assertThat(patch(owner.token(), "/api/owner/workspace/settings", "{").status()).isEqualTo(400);
	}

	@Test
	void liveFiguresFromTheProjectionOrCountedNow() {
		Owner owner = owner();
		this.workspaces.pair(owner.workspaceId(), "Embedded?", "Yes.", "general");
		pair(owner, "Not embedded yet?", "No.");
		pair(owner, "Deleted?", "Yes.");
		this.jdbc.sql("UPDATE qa_pairs SET is_active = false WHERE question = 'Deleted?' AND workspace_id = :ws")
			.param("ws", owner.workspaceId())
			.update();
		gap(owner, "Open gap?");
		conversation(owner, "Hi", "Hello!");

		JsonNode live = get(owner.token(), "/api/owner/workspace/stats").json();
		assertThat(live.get("source").asString()).isEqualTo("live");
		assertThat(live.get("active_pairs").asInt()).isEqualTo(2);
		assertThat(live.get("embedded_pairs").asInt()).isEqualTo(1);
		assertThat(live.get("pending_embeddings").asInt()).isEqualTo(1);
		assertThat(live.get("open_gaps").asInt()).isEqualTo(1);
		assertThat(live.get("sessions").asInt()).isEqualTo(1);
		assertThat(live.get("messages").asInt()).isEqualTo(2);

		// once the CDC relay keeps the projection, it is what the owner sees
		this.jdbc.sql("""
				INSERT INTO workspace_stats (workspace_id, active_pairs, embedded_pairs, pending_embeddings, open_gaps, sessions, messages)
				VALUES (:ws, 40, 30, 10, 5, 7, 70)
				""").param("ws", owner.workspaceId()).update();
		JsonNode projected = get(owner.token(), "/api/owner/workspace/stats").json();
		assertThat(projected.get("source").asString()).isEqualTo("projection");
		assertThat(projected.get("active_pairs").asInt()).isEqualTo(40);
		assertThat(projected.get("sessions").asInt()).isEqualTo(7);
	}

}
