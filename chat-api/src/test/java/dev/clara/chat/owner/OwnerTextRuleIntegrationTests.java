package dev.clara.chat.owner;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.clara.chat.ChatApiHttp.Reply;
import dev.clara.chat.web.Texts;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The text rule (docs/security.md, "Text") on the owner API: every JSON body (through JsonBody,
 * nested values and property names too), query parameters and CSV rows. A refused request is a
 * 400 naming the field without repeating it, and stores nothing; a refused CSV row is one
 * invalid row of the report while the others are imported.
 */
class OwnerTextRuleIntegrationTests extends OwnerIntegrationTest {

	private static final String NUL = "\\u0000";

	private static final String LONE = "\\ud800";

	@Test
	void signUpAndSignInRefuseControlCharactersAndLoneSurrogatesInTheEmail() {
		long users = users();
		for (String bad : List.of(NUL, LONE, "\\u0085", "\\u001b")) {
			String email = "owner-" + UUID.randomUUID() + bad + "@example.test";
			Reply signUp = post(null, "/api/owner/auth/signup", raw("email", email, "password", "a fine password"));
			assertRefused(signUp, "email");
			Reply signIn = post(null, "/api/owner/auth/signin", raw("email", email, "password", "a fine password"));
			assertRefused(signIn, "email");
		}
		Reply password = post(null, "/api/owner/auth/signup",
				raw("email", "owner-" + UUID.randomUUID() + "@example.test", "password", "a fine " + NUL + " password"));
		assertRefused(password, "password");
		Reply refresh = post(null, "/api/owner/auth/refresh", raw("refresh_token", "abc" + LONE));
		assertRefused(refresh, "refresh_token");
		assertThat(users()).as("no account was made").isEqualTo(users);
	}

	@Test
	void settingsRefuseBadTextAnywhereAndChangeNothing() {
		Owner owner = owner();
		String before = get(owner.token(), "/api/owner/workspace/settings").body();

		assertRefused(patch(owner.token(), "/api/owner/workspace/settings", raw("welcome_message", "Hi" + NUL)),
				"welcome_message");
		assertRefused(put(owner.token(), "/api/owner/workspace/settings", raw("display_name", "Acme " + LONE)), "display_name");
		Reply array = patch(owner.token(), "/api/owner/workspace/settings",
				"{\"suggested_messages\":[\"Pricing?\",\"Refunds" + LONE + "\"]}");
		assertRefused(array, "suggested_messages[1]");
		Reply origins = patch(owner.token(), "/api/owner/workspace/settings",
				"{\"allowed_origins\":[\"https://example.com\\u0000\"]}");
		assertRefused(origins, "allowed_origins[0]");
		Reply name = patch(owner.token(), "/api/owner/workspace/settings", "{\"weird" + NUL + "\":1}");
		assertRefused(name, "body");
		assertRefused(patch(owner.token(), "/api/owner/workspace", raw("name", "Acme\\u0007")), "name");

		assertThat(get(owner.token(), "/api/owner/workspace/settings").body()).isEqualTo(before);
	}

	@Test
	void qaPairsRefuseBadTextAndStoreNothing() {
		Owner owner = owner();
		UUID existing = pair(owner, "Do you ship abroad?", "Yes.");
		long before = count("SELECT count(*) FROM qa_pairs WHERE workspace_id = :ws", owner.workspaceId());

		assertRefused(post(owner.token(), "/api/owner/qa-pairs", raw("question", "Refunds?" + NUL, "answer", "Yes.")),
				"question");
		assertRefused(post(owner.token(), "/api/owner/qa-pairs", raw("question", "Refunds?", "answer", "Yes " + LONE)),
				"answer");
		assertRefused(post(owner.token(), "/api/owner/qa-pairs",
				raw("question", "Refunds?", "answer", "Yes.", "category", "billing\\u009b")), "category");
		assertRefused(patch(owner.token(), "/api/owner/qa-pairs/" + existing, raw("answer", "No" + NUL)), "answer");

		assertThat(count("SELECT count(*) FROM qa_pairs WHERE workspace_id = :ws", owner.workspaceId())).isEqualTo(before);
		assertThat(this.jdbc.sql("SELECT answer FROM qa_pairs WHERE id = :id").param("id", existing).query(String.class)
			.single()).isEqualTo("Yes.");
		// tab and line ends are text
		Reply ok = post(owner.token(), "/api/owner/qa-pairs", raw("question", "Refunds?", "answer", "Yes.\\r\\nWithin\\t30 days."));
		assertThat(ok.status()).isEqualTo(201);
	}

	@Test
	void queryParametersOfTheOwnerApiFollowTheRule() {
		Owner owner = owner();
		assertThat(get(owner.token(), "/api/owner/qa-pairs?q=refund").status()).isEqualTo(200);
		for (String query : List.of("q=%00", "q=%C2%85", "q=%FF", "q=%ED%A0%80", "category=a%1Fb", "page=1%00",
				"per_page=%C0%AF")) {
			Reply reply = get(owner.token(), "/api/owner/qa-pairs?" + query);
			assertThat(reply.status()).as(query).isEqualTo(400);
			assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
			assertThat(reply.json().get("detail").asString()).as(query).startsWith("query parameter ");
		}
	}

	@Test
	void aCsvRowWithBadTextIsAnInvalidRowAndTheRestIsImported() throws Exception {
		Owner owner = owner();
		ByteArrayOutputStream csv = new ByteArrayOutputStream();
		csv.writeBytes("question,answer\nGood one?,Yes.\n".getBytes(StandardCharsets.UTF_8));
		csv.writeBytes(new byte[] { 'N', 'u', 'l', '?', 0, ',', 'a', '\n' });
		csv.writeBytes("Bell?,ring\u0007\n".getBytes(StandardCharsets.UTF_8));
		csv.writeBytes("C1?,csi \u009b\n".getBytes(StandardCharsets.UTF_8));
		// a surrogate encoded on its own (CESU-8): not UTF-8
		csv.writeBytes(new byte[] { 'S', 'u', 'r', '?', (byte) 0xed, (byte) 0xa0, (byte) 0x80, ',', 'a', '\n' });
		csv.writeBytes("Tabs\tand CRLF?,\"Yes\r\nfine\"\r\n".getBytes(StandardCharsets.UTF_8));
		Reply accepted = this.http.send(HttpRequest.newBuilder(URI.create(this.http.baseUrl() + "/api/owner/qa-pairs/imports"))
			.header("Authorization", "Bearer " + owner.token())
			.header("Content-Type", "text/csv")
			.POST(HttpRequest.BodyPublishers.ofByteArray(csv.toByteArray()))
			.build());
		assertThat(accepted.status()).isEqualTo(202);

		JsonNode job = awaitDone(owner, accepted.json().get("id").asString());

		assertThat(job.get("imported_rows").asInt()).isEqualTo(2);
		assertThat(job.get("invalid_rows").asInt()).isEqualTo(4);
		List<JsonNode> rows = new ArrayList<>();
		get(owner.token(), "/api/owner/qa-pairs/imports/" + job.get("id").asString() + "/rows?per_page=200").json()
			.get("items").forEach(rows::add);
		assertThat(rows).extracting(row -> row.get("reason").isNull() ? null : row.get("reason").asString())
			.containsExactly(null, "the question " + Texts.CONTROL, "the answer " + Texts.CONTROL,
					"the answer " + Texts.CONTROL, "the row is not valid UTF-8", null);
		assertThat(rows.get(1).get("question").asString()).isEqualTo("Nul?\uFFFD");
		assertThat(count("SELECT count(*) FROM qa_pairs WHERE workspace_id = :ws", owner.workspaceId())).isEqualTo(2);
	}

	@Test
	void aBadFileNameParameterRefusesTheUpload() {
		Owner owner = owner();
		Reply reply = this.http.send(HttpRequest.newBuilder(
				URI.create(this.http.baseUrl() + "/api/owner/qa-pairs/imports?file_name=faq%00.csv"))
			.header("Authorization", "Bearer " + owner.token())
			.header("Content-Type", "text/csv")
			.POST(HttpRequest.BodyPublishers.ofString("question,answer\nq,a\n"))
			.build());
		assertThat(reply.status()).isEqualTo(400);
		assertThat(count("SELECT count(*) FROM qa_import_jobs WHERE workspace_id = :ws", owner.workspaceId())).isZero();
	}

	private JsonNode awaitDone(Owner owner, String jobId) {
		JsonNode[] job = new JsonNode[1];
		await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() -> {
			job[0] = get(owner.token(), "/api/owner/qa-pairs/imports/" + jobId).json();
			return "completed".equals(job[0].get("status").asString());
		});
		return job[0];
	}

	/** A 400 problem whose field_errors name {@code field}, repeating nothing of what was sent. */
	private static void assertRefused(Reply reply, String field) {
		assertThat(reply.status()).as(reply.body()).isEqualTo(400);
		assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
		JsonNode errors = reply.json().get("field_errors");
		assertThat(errors.has(field)).as(field + " in " + reply.body()).isTrue();
		assertThat(errors.get(field).asString()).isIn(Texts.CONTROL, Texts.SURROGATE, "has a property name with a control character");
		assertThat(reply.body()).doesNotContain("example.test").doesNotContain("a fine").doesNotContain("Refunds")
			.doesNotContain("Exception");
	}

	/** A JSON object written by hand, so the values may hold JSON escapes (a lone surrogate cannot be sent otherwise). */
	private static String raw(String... keyValues) {
		StringBuilder json = new StringBuilder("{");
		for (int i = 0; i < keyValues.length; i += 2) {
			json.append(i == 0 ? "" : ",").append('"').append(keyValues[i]).append("\":\"").append(keyValues[i + 1]).append('"');
		}
		return json.append('}').toString();
	}

	private long users() {
		return this.jdbc.sql("SELECT count(*) FROM auth.users").query(Long.class).single();
	}

}
