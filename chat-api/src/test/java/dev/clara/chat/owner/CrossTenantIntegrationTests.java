package dev.clara.chat.owner;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import dev.clara.chat.ChatApiHttp.Reply;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two owners: every owner endpoint that takes an id, called by owner A with owner B's ids, answers
 * 404 and changes nothing of B's; A's lists show none of B's rows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossTenantIntegrationTests extends OwnerIntegrationTest {

	Owner a;

	Owner b;

	UUID pairB;

	UUID gapB;

	UUID keyB;

	UUID jobB;

	UUID conversationB;

	UUID tokenB;

	UUID testB;

	@BeforeAll
	void twoOwners() {
		this.http = new dev.clara.chat.ChatApiHttp(this.port);
		this.workspaces = new dev.clara.chat.Workspaces(this.jdbc, this.embeddings);
		this.a = owner();
		this.b = owner();
		this.pairB = pair(this.b, "B's secret question?", "B's secret answer.");
		this.gapB = gap(this.b, "B's open gap?");
		this.testB = testQuestion(this.b, "B's test question?", this.pairB);
		this.conversationB = conversation(this.b, "Hello from B's visitor", "Hi!");
		this.keyB = UUID.fromString(post(this.b.token(), "/api/owner/llm-keys",
				json("provider", "openai", "model", "gpt-4o", "api_key", "sk-b-secret-key-1234")).json().get("id").asString());
		this.tokenB = UUID.fromString(post(this.b.token(), "/api/owner/access-tokens", json("name", "B's script"))
			.json().get("id").asString());
		Reply job = upload(this.b.token(), "/api/owner/qa-pairs/imports", "b.csv", "text/csv",
				"question,answer\nB imported?,Yes.\n".getBytes(StandardCharsets.UTF_8));
		this.jobB = UUID.fromString(job.json().get("id").asString());
		org.awaitility.Awaitility.await().until(() -> "completed"
			.equals(get(this.b.token(), "/api/owner/qa-pairs/imports/" + this.jobB).json().get("status").asString()));
		this.jdbc.sql("INSERT INTO api_usage (workspace_id, provider, model, total_tokens) VALUES (:ws, 'openai', 'gpt-4o', 99)")
			.param("ws", this.b.workspaceId())
			.update();
		upload(this.b.token(), "/api/owner/assets/avatar", "b.png", "image/png", AssetsIntegrationTests.PNG);
	}

	Stream<Arguments> endpointsWithIds() {
		String pair = "/api/owner/qa-pairs/" + this.pairB;
		String gap = "/api/owner/gaps/" + this.gapB;
		String key = "/api/owner/llm-keys/" + this.keyB;
		String job = "/api/owner/qa-pairs/imports/" + this.jobB;
		return Stream.of(Arguments.of("GET", pair, null), Arguments.of("PATCH", pair, json("answer", "Hijacked")),
				Arguments.of("DELETE", pair, null), Arguments.of("POST", pair + "/restore", null),
				Arguments.of("GET", job, null), Arguments.of("GET", job + "/rows", null),
				Arguments.of("GET", gap, null), Arguments.of("POST", gap + "/resolve", json("answer", "Hijacked")),
				Arguments.of("POST", gap + "/dismiss", null), Arguments.of("POST", gap + "/reopen", null),
				Arguments.of("PUT", gap + "/out-of-scope", json("teach", true)),
				Arguments.of("DELETE", "/api/owner/answer-tests/" + this.testB, null),
				Arguments.of("POST", key + "/default", null), Arguments.of("POST", key + "/deactivate", null),
				Arguments.of("POST", key + "/activate", null), Arguments.of("DELETE", key, null),
				Arguments.of("GET", "/api/owner/conversations/" + this.conversationB, null),
				Arguments.of("DELETE", "/api/owner/access-tokens/" + this.tokenB, null));
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("endpointsWithIds")
	void anotherOwnersIdIsNotFoundAndNothingChanges(String method, String path, String body) {
		String before = snapshot(this.b.workspaceId());
		Reply reply = send(this.a.token(), method, path, body);
		assertThat(reply.status()).as(method + " " + path).isEqualTo(404);
		assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
		assertThat(reply.body()).doesNotContain("B's");
		assertThat(snapshot(this.b.workspaceId())).as("B's rows after " + method + " " + path).isEqualTo(before);
		// B still reaches its own resource
		if ("GET".equals(method)) {
			assertThat(get(this.b.token(), path).status()).isEqualTo(200);
		}
	}

	@Test
	void listsShowNoneOfTheOtherOwnersRows() {
		for (String path : List.of("/api/owner/qa-pairs", "/api/owner/gaps?status=all", "/api/owner/conversations",
				"/api/owner/qa-pairs/imports", "/api/owner/answer-tests")) {
			assertThat(get(this.a.token(), path).json().get("total").asInt()).as(path).isZero();
		}
		assertThat(get(this.a.token(), "/api/owner/llm-keys").json()).isEmpty();
		assertThat(get(this.a.token(), "/api/owner/access-tokens").json()).isEmpty();
		assertThat(get(this.a.token(), "/api/owner/usage").json().get("days")).isEmpty();
		assertThat(get(this.a.token(), "/api/owner/workspace").json().get("id").asString())
			.isEqualTo(this.a.workspaceId().toString());
		assertThat(get(this.a.token(), "/api/owner/workspace/stats").json().get("active_pairs").asInt()).isZero();
		// A's avatar goes to A's folder, whatever B has
		Reply mine = upload(this.a.token(), "/api/owner/assets/avatar", "a.png", "image/png", AssetsIntegrationTests.PNG);
		assertThat(mine.json().get("path").asString()).startsWith(this.a.workspaceId().toString());
		assertThat(get(this.b.token(), "/api/owner/qa-pairs").json().get("total").asInt()).isEqualTo(2);
	}

	/** Everything of one workspace, as the service sees it. */
	String snapshot(UUID workspace) {
		return this.jdbc.sql("""
				SELECT concat_ws('|',
				  (SELECT string_agg(p::text, ',' ORDER BY p.id) FROM qa_pairs p WHERE p.workspace_id = :ws),
				  (SELECT string_agg(g::text, ',' ORDER BY g.id) FROM qa_gaps g WHERE g.workspace_id = :ws),
				  (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM answer_test_questions t WHERE t.workspace_id = :ws),
				  (SELECT string_agg(k::text, ',' ORDER BY k.id) FROM api_keys k WHERE k.workspace_id = :ws),
				  (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM access_tokens t WHERE t.workspace_id = :ws),
				  (SELECT string_agg(c::text, ',' ORDER BY c.id) FROM conversations c WHERE c.workspace_id = :ws),
				  (SELECT string_agg(j::text, ',' ORDER BY j.id) FROM qa_import_jobs j WHERE j.workspace_id = :ws),
				  (SELECT string_agg(w::text, ',') FROM workspaces w WHERE w.id = :ws),
				  (SELECT string_agg(o::text, ',' ORDER BY o.id) FROM storage.objects o WHERE o.name LIKE CAST(:ws AS text) || '/%'))
				""").param("ws", workspace).query(String.class).single();
	}

}
