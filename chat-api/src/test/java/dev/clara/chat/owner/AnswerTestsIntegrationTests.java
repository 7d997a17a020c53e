package dev.clara.chat.owner;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.clara.chat.ChatApiHttp.Reply;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The owner's test questions of the answer model and the results of stored model versions. */
class AnswerTestsIntegrationTests extends OwnerIntegrationTest {

	@Test
	void addListAndDeleteAskForTraining() {
		Owner owner = owner();
		UUID pair = pair(owner, "When are you open?", "From 9 to 5.");
		Reply created = post(owner.token(), "/api/owner/answer-tests",
				json("question", "  At what time do you open?\n(weekdays)\t ", "expected_qa_id", pair.toString()));
		assertThat(created.status()).isEqualTo(201);
		JsonNode test = created.json();
		assertThat(test.get("question").asString()).isEqualTo("At what time do you open?\n(weekdays)");
		assertThat(test.get("expected_qa_id").asString()).isEqualTo(pair.toString());
		assertThat(test.get("expected_question").asString()).isEqualTo("When are you open?");
		assertThat(trainingRequested(owner)).as("the trigger asked for training").isTrue();

		Reply unanswerable = post(owner.token(), "/api/owner/answer-tests", json("question", "What is the meaning of life?"));
		assertThat(unanswerable.status()).isEqualTo(201);
		assertThat(unanswerable.json().get("expected_qa_id").isNull()).isTrue();
		assertThat(post(owner.token(), "/api/owner/answer-tests", json("question", "Any discount?", "expected_qa_id", null))
			.status()).isEqualTo(201);

		JsonNode list = get(owner.token(), "/api/owner/answer-tests?per_page=2").json();
		assertThat(list.get("total").asInt()).isEqualTo(3);
		assertThat(list.get("items")).hasSize(2);
		assertThat(list.get("items").get(0).get("id").asString()).as("in the order added").isEqualTo(test.get("id").asString());

		forgetTrainingRequest(owner);
		String id = test.get("id").asString();
		Reply deleted = delete(owner.token(), "/api/owner/answer-tests/" + id);
		assertThat(deleted.status()).isEqualTo(204);
		assertThat(trainingRequested(owner)).isTrue();
		assertThat(delete(owner.token(), "/api/owner/answer-tests/" + id).status()).isEqualTo(404);
		assertThat(delete(owner.token(), "/api/owner/answer-tests/not-a-uuid").status()).isEqualTo(404);
		assertThat(get(owner.token(), "/api/owner/answer-tests").json().get("total").asInt()).isEqualTo(2);
	}

	@Test
	void badInputIsAProblemAndWritesNothing() {
		Owner owner = owner();
		Map<String, String> bodies = Map.of("blank", json("question", " \n\t "), "too long", json("question", "q".repeat(2001)),
				"NUL", json("question", "What\u0000now?"), "bell", json("question", "Ring\u0007?"),
				"DEL", json("question", "Del\u007f?"), "lone surrogate", "{\"question\": \"Broken \\ud800 text?\"}",
				"not a string", json("question", 5), "missing", json("expected_qa_id", null),
				"bad id", json("question", "When?", "expected_qa_id", "not-a-uuid"),
				"unknown field", json("question", "When?", "outcome", "right"));
		bodies.forEach((name, body) -> {
			Reply reply = post(owner.token(), "/api/owner/answer-tests", body);
			assertThat(reply.status()).as(name).isEqualTo(400);
			assertThat(reply.header("Content-Type")).as(name).startsWith("application/problem+json");
			assertThat(reply.json().get("field_errors").size()).as(name).isEqualTo(1);
		});
		assertThat(post(owner.token(), "/api/owner/answer-tests", "[]").status()).isEqualTo(400);
		assertThat(post(owner.token(), "/api/owner/answer-tests", json("question", "q".repeat(2000))).status())
			.isEqualTo(201);
		assertThat(count("SELECT count(*) FROM answer_test_questions WHERE workspace_id = :ws", owner.workspaceId()))
			.isEqualTo(1);
	}

	@Test
	void theExpectedPairMustBeAnActivePairOfTheWorkspace() {
		Owner owner = owner();
		Owner other = owner();
		UUID foreign = pair(other, "B's question?", "B's answer.");
		UUID deleted = pair(owner, "Old question?", "Old answer.");
		this.jdbc.sql("UPDATE qa_pairs SET is_active = false WHERE id = :id").param("id", deleted).update();
		for (UUID expected : List.of(foreign, UUID.randomUUID(), deleted)) {
			Reply reply = post(owner.token(), "/api/owner/answer-tests",
					json("question", "Which answer?", "expected_qa_id", expected.toString()));
			assertThat(reply.status()).isEqualTo(422);
			assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
			assertThat(reply.json().get("field_errors").has("expected_qa_id")).isTrue();
			assertThat(reply.body()).doesNotContain("B's");
		}
		assertThat(count("SELECT count(*) FROM answer_test_questions WHERE workspace_id = :ws", owner.workspaceId())).isZero();
	}

	@Test
	void aWorkspaceKeepsAtMostFiveHundred() {
		Owner owner = owner();
		this.jdbc.sql("""
				INSERT INTO answer_test_questions (workspace_id, question)
				SELECT :ws, 'Question ' || n FROM generate_series(1, 499) n
				""").param("ws", owner.workspaceId()).update();
		assertThat(post(owner.token(), "/api/owner/answer-tests", json("question", "The 500th?")).status()).isEqualTo(201);
		Reply full = post(owner.token(), "/api/owner/answer-tests", json("question", "The 501st?"));
		assertThat(full.status()).isEqualTo(422);
		assertThat(full.json().get("title").asString()).isEqualTo("Limit reached");
		assertThat(full.json().get("detail").asString()).contains("500");
		assertThat(count("SELECT count(*) FROM answer_test_questions WHERE workspace_id = :ws", owner.workspaceId()))
			.isEqualTo(500);
	}

	@Test
	void resultsShowOutcomesPendingSummaryAndRegressions() {
		Owner owner = owner();
		UUID hours = pair(owner, "When are you open?", "From 9 to 5.");
		UUID refunds = pair(owner, "Can I get a refund?", "Within 30 days.");
		UUID stays = testQuestion(owner, "Opening hours?", hours);
		UUID breaks = testQuestion(owner, "Money back?", refunds);
		UUID fixed = testQuestion(owner, "When do you close?", hours);
		UUID unchecked = testQuestion(owner, "Are you open on Sunday?", hours);
		UUID outOfScope = testQuestion(owner, "What is the meaning of life?", null);
		UUID added = testQuestion(owner, "Do you refund shipping?", refunds);

		JsonNode none = get(owner.token(), "/api/owner/answer-tests/results").json();
		assertThat(none.get("model_version").isNull()).isTrue();
		assertThat(none.get("summary").get("pending").asInt()).isEqualTo(6);
		assertThat(none.get("regressions")).isEmpty();

		answerModel(owner, 1, 4, 2, "[]", null);
		answerModel(owner, 2, 4, 2, "[]", null);
		result(owner, 1, stays, "right", hours, 0.9);
		result(owner, 1, breaks, "right", refunds, 0.8);
		result(owner, 1, fixed, "wrong_answer", refunds, 0.55);
		result(owner, 1, unchecked, "right", hours, 0.7);
		result(owner, 1, outOfScope, "wrongly_answered", refunds, 0.6);
		result(owner, 2, stays, "right", hours, 0.95);
		result(owner, 2, breaks, "wrongly_flagged", null, 0.3);
		result(owner, 2, fixed, "right", hours, 0.85);
		result(owner, 2, outOfScope, "right", null, 0.2);
		result(owner, 2, added, "wrong_answer", hours, 0.51);

		JsonNode newest = get(owner.token(), "/api/owner/answer-tests/results").json();
		assertThat(newest.get("model_version").asInt()).isEqualTo(2);
		assertThat(newest.get("previous_version").asInt()).isEqualTo(1);
		assertThat(outcomes(newest)).containsExactly("right", "wrongly_flagged", "right", "pending", "right", "wrong_answer");
		JsonNode summary = newest.get("summary");
		assertThat(summary.get("total").asInt()).isEqualTo(6);
		assertThat(summary.get("right").asInt()).isEqualTo(3);
		assertThat(summary.get("wrong_answer").asInt()).isEqualTo(1);
		assertThat(summary.get("wrongly_flagged").asInt()).isEqualTo(1);
		assertThat(summary.get("wrongly_answered").asInt()).isZero();
		assertThat(summary.get("pending").asInt()).isEqualTo(1);
		// Money back? broke; Sunday was right before but is not checked yet: not (yet) a regression
		assertThat(newest.get("regressions")).hasSize(1);
		JsonNode regression = newest.get("regressions").get(0);
		assertThat(regression.get("id").asString()).isEqualTo(breaks.toString());
		assertThat(regression.get("previous_outcome").asString()).isEqualTo("right");
		assertThat(regression.get("outcome").asString()).isEqualTo("wrongly_flagged");
		assertThat(regression.get("answered_qa_id").isNull()).isTrue();
		JsonNode first = newest.get("items").get(0);
		assertThat(first.get("answered_qa_id").asString()).isEqualTo(hours.toString());
		assertThat(first.get("answered_question").asString()).isEqualTo("When are you open?");
		assertThat(first.get("expected_question").asString()).isEqualTo("When are you open?");
		assertThat(first.get("confidence").asDouble()).isEqualTo(0.95);
		assertThat(newest.get("items").get(3).get("confidence").isNull()).isTrue();

		JsonNode older = get(owner.token(), "/api/owner/answer-tests/results?version=1").json();
		assertThat(older.get("model_version").asInt()).isEqualTo(1);
		assertThat(older.get("previous_version").isNull()).isTrue();
		assertThat(outcomes(older)).containsExactly("right", "right", "wrong_answer", "right", "wrongly_answered", "pending");
		assertThat(older.get("regressions")).isEmpty();
		assertThat(older.get("items").get(0).get("previous_outcome").isNull()).isTrue();

		assertThat(get(owner.token(), "/api/owner/answer-tests/results?version=3").status()).isEqualTo(404);
		for (String bad : List.of("0", "-1", "two", "1.5")) {
			Reply reply = get(owner.token(), "/api/owner/answer-tests/results?version=" + bad);
			assertThat(reply.status()).as(bad).isEqualTo(400);
			assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
		}
	}

	@Test
	void anotherOwnersTestsAndResultsAreNeverShown() {
		Owner a = owner();
		Owner b = owner();
		UUID pairB = pair(b, "B's question?", "B's answer.");
		UUID testB = testQuestion(b, "B's test?", pairB);
		answerModel(b, 1, 4, 2, "[]", null);
		result(b, 1, testB, "right", pairB, 0.9);
		answerModel(a, 1, 4, 2, "[]", null);

		assertThat(get(a.token(), "/api/owner/answer-tests").json().get("total").asInt()).isZero();
		Reply results = get(a.token(), "/api/owner/answer-tests/results");
		assertThat(results.json().get("items")).isEmpty();
		assertThat(results.body()).doesNotContain("B's");
		assertThat(delete(a.token(), "/api/owner/answer-tests/" + testB).status()).isEqualTo(404);
		assertThat(get(b.token(), "/api/owner/answer-tests/results").json().get("summary").get("right").asInt()).isEqualTo(1);
	}

	private void result(Owner owner, int version, UUID test, String outcome, UUID answered, double confidence) {
		this.jdbc.sql("""
				INSERT INTO answer_test_results (workspace_id, model_version, test_question_id, outcome, answered_qa_id, confidence)
				VALUES (:ws, :version, :test, :outcome, :answered, :confidence)
				""")
			.param("ws", owner.workspaceId())
			.param("version", version)
			.param("test", test)
			.param("outcome", outcome)
			.param("answered", answered)
			.param("confidence", confidence)
			.update();
	}

	private static List<String> outcomes(JsonNode results) {
		List<String> outcomes = new ArrayList<>();
		results.get("items").forEach(item -> outcomes.add(item.get("outcome").asString()));
		return outcomes;
	}

}
