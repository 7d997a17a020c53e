package dev.clara.chat.owner;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.clara.chat.ChatApiHttp.Reply;
import dev.clara.shared.answers.TrainedPairs;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The answer model's status and the knowledge-base health report, as stored by the trainer. */
class AnswerModelIntegrationTests extends OwnerIntegrationTest {

	static final String GROUP_HOURS = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

	static final String GROUP_OPENING = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

	static final String GROUP_REFUNDS = "cccccccccccccccccccccccccccccccc";

	@Test
	void beforeTheFirstModelThereIsNoModelAndTrainingSaysWhetherOneIsComing() {
		Owner owner = owner();
		JsonNode status = get(owner.token(), "/api/owner/answer-model").json();
		assertThat(status.get("model").isNull()).isTrue();
		assertThat(status.get("training").get("waiting").asBoolean()).isFalse();
		assertThat(status.get("training").get("requested_at").isNull()).isTrue();

		// a change asks for training (here: a test question, through the table's trigger)
		testQuestion(owner, "When are you open?", null);
		JsonNode waiting = get(owner.token(), "/api/owner/answer-model").json().get("training");
		assertThat(waiting.get("waiting").asBoolean()).isTrue();
		assertThat(waiting.get("in_progress").asBoolean()).isFalse();
		assertThat(waiting.get("requested_at").isNull()).isFalse();

		// a trainer holds the lease
		this.jdbc.sql("UPDATE answer_model_requests SET claimed_until = now() + interval '5 minutes' WHERE workspace_id = :ws")
			.param("ws", owner.workspaceId())
			.update();
		assertThat(get(owner.token(), "/api/owner/answer-model").json().get("training").get("in_progress").asBoolean())
			.isTrue();
	}

	@Test
	void theNewestModelsFiguresAreShown() {
		Owner owner = owner();
		answerModel(owner, 1, 4, 2, "[]", null);
		answerModel(owner, 2, 6, 3, "[]", "{\"folds\": 5}");
		Reply reply = get(owner.token(), "/api/owner/answer-model");
		assertThat(reply.status()).isEqualTo(200);
		JsonNode model = reply.json().get("model");
		assertThat(model.get("version").asInt()).isEqualTo(2);
		assertThat(model.get("embedding_model").asString()).isEqualTo(this.embeddings.modelId());
		assertThat(model.get("pair_count").asInt()).isEqualTo(6);
		assertThat(model.get("group_count").asInt()).isEqualTo(3);
		assertThat(model.get("out_of_scope_count").asInt()).isEqualTo(1);
		assertThat(model.get("iterations").asInt()).isEqualTo(42);
		assertThat(model.get("converged").asBoolean()).isTrue();
		assertThat(model.get("training_ms").asInt()).isEqualTo(1234);
		assertThat(model.get("trained_at").isNull()).isFalse();
		assertThat(model.get("health_ready").asBoolean()).isTrue();
		assertThat(model.has("model")).as("never the weights").isFalse();
	}

	@Test
	void theTrainingRequestFunctionAnswersOnlyForTheCallersOwnWorkspace() {
		Owner a = owner();
		Owner b = owner();
		testQuestion(b, "B's question?", null);
		assertThat(trainingRequested(b)).isTrue();
		String status = "SELECT count(*) FROM answer_model_request_status(:ws)";
		long seenByA = this.ownerDb.as(a.principal(),
				sql -> sql.sql(status).param("ws", b.workspaceId()).query(Long.class).single());
		long seenByB = this.ownerDb.as(b.principal(),
				sql -> sql.sql(status).param("ws", b.workspaceId()).query(Long.class).single());
		assertThat(seenByA).as("another owner's workspace").isZero();
		assertThat(seenByB).isEqualTo(1);
		assertThat(get(a.token(), "/api/owner/answer-model").json().get("training").get("waiting").asBoolean()).isFalse();
		assertThat(get(b.token(), "/api/owner/answer-model").json().get("training").get("waiting").asBoolean()).isTrue();
	}

	@Test
	void withoutAReportHealthIsNullWithAReason() {
		Owner owner = owner();
		JsonNode none = get(owner.token(), "/api/owner/answer-model/health").json();
		assertThat(none.get("health").isNull()).isTrue();
		assertThat(none.get("model_version").isNull()).isTrue();
		assertThat(none.get("reason").asString()).isEqualTo("no_model");
		assertThat(none.get("message").asString()).isNotBlank();

		answerModel(owner, 1, 3, 2, "[]", null);
		JsonNode small = get(owner.token(), "/api/owner/answer-model/health").json();
		assertThat(small.get("model_version").asInt()).isEqualTo(1);
		assertThat(small.get("reason").asString()).isEqualTo("too_few_pairs");

		answerModel(owner, 2, 40, 10, "[]", null);
		assertThat(get(owner.token(), "/api/owner/answer-model/health").json().get("reason").asString())
			.isEqualTo("not_computed");

		// a report this version cannot read is no report, never a 500
		answerModel(owner, 3, 40, 10, "[]", "[1, 2]");
		Reply unreadable = get(owner.token(), "/api/owner/answer-model/health");
		assertThat(unreadable.status()).isEqualTo(200);
		assertThat(unreadable.json().get("reason").asString()).isEqualTo("not_computed");
	}

	@Test
	void healthShowsEachGroupWithARepresentativePairAndEachMisplacedPairWithItsQuestion() {
		Owner owner = owner();
		UUID deletedFirst = pair(owner, "When do you open?", "From 9 to 5.");
		UUID hours = pair(owner, "What are your hours?", "From 9 to 5.");
		UUID opening = pair(owner, "What time do you open?", "We open at 9.");
		UUID refunds = pair(owner, "Can I get a refund?", "Yes, within 30 days.");
		UUID misplaced = pair(owner, "Is the shop open at 9?", "We open at 9.");
		String groups = new TrainedPairs(Map.of(GROUP_HOURS, List.of(deletedFirst, hours), GROUP_OPENING,
				List.of(opening, misplaced), GROUP_REFUNDS, List.of(refunds))).toJson();
		this.jdbc.sql("DELETE FROM qa_pairs WHERE id = :id").param("id", deletedFirst).update();
		String health = """
				{"folds": 5, "accuracy": 0.93, "checked_pairs": 1200, "single_phrasing_groups": 4,
				 "confused_groups": [{"group_a": "%s", "group_b": "%s", "a_as_b": 3, "b_as_a": 1}, "not an object"],
				 "misplaced_pairs": [{"qa_pair_id": "%s", "group": "%s", "predicted_group": "%s", "probability": 0.71},
				                     {"qa_pair_id": "%s", "group": "%s", "predicted_group": "%s", "probability": 0.6}],
				 "a_field_of_a_newer_trainer": true}
				""".formatted(GROUP_HOURS, GROUP_OPENING, misplaced, GROUP_OPENING, GROUP_HOURS, UUID.randomUUID(),
				GROUP_REFUNDS, "dddddddddddddddddddddddddddddddd");
		answerModel(owner, 1, 5, 3, groups, health);

		Reply reply = get(owner.token(), "/api/owner/answer-model/health");
		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.json().get("reason").isNull()).isTrue();
		assertThat(reply.json().get("model_version").asInt()).isEqualTo(1);
		JsonNode report = reply.json().get("health");
		assertThat(report.get("folds").asInt()).isEqualTo(5);
		assertThat(report.get("accuracy").asDouble()).isEqualTo(0.93);
		assertThat(report.get("checked_pairs").asInt()).isEqualTo(1200);
		assertThat(report.get("single_phrasing_groups").asInt()).isEqualTo(4);

		assertThat(report.get("confused_groups")).hasSize(1);
		assertThat(report.get("confused_groups_total").asInt()).isEqualTo(2);
		JsonNode confused = report.get("confused_groups").get(0);
		assertThat(confused.get("a_as_b").asInt()).isEqualTo(3);
		assertThat(confused.get("b_as_a").asInt()).isEqualTo(1);
		JsonNode groupA = confused.get("group_a");
		assertThat(groupA.get("group_id").asString()).isEqualTo(GROUP_HOURS);
		assertThat(groupA.get("pair_count").asInt()).isEqualTo(2);
		// its first pair is gone: the next one stands for the group
		assertThat(groupA.get("representative").get("qa_pair_id").asString()).isEqualTo(hours.toString());
		assertThat(groupA.get("representative").get("question").asString()).isEqualTo("What are your hours?");
		assertThat(groupA.get("representative").get("answer").asString()).isEqualTo("From 9 to 5.");
		assertThat(confused.get("group_b").get("representative").get("qa_pair_id").asString()).isEqualTo(opening.toString());

		JsonNode placed = report.get("misplaced_pairs").get(0);
		assertThat(placed.get("qa_pair_id").asString()).isEqualTo(misplaced.toString());
		assertThat(placed.get("question").asString()).isEqualTo("Is the shop open at 9?");
		assertThat(placed.get("probability").asDouble()).isEqualTo(0.71);
		assertThat(placed.get("group").get("group_id").asString()).isEqualTo(GROUP_OPENING);
		assertThat(placed.get("predicted_group").get("representative").get("answer").asString()).isEqualTo("From 9 to 5.");
		// a pair deleted since, and a group the model does not know: shown as far as they are known
		JsonNode gone = report.get("misplaced_pairs").get(1);
		assertThat(gone.get("question").isNull()).isTrue();
		assertThat(gone.get("group").get("representative").get("answer").asString()).isEqualTo("Yes, within 30 days.");
		assertThat(gone.get("predicted_group").get("pair_count").asInt()).isZero();
		assertThat(gone.get("predicted_group").get("representative").isNull()).isTrue();
	}

	@Test
	void healthNeverShowsAnotherWorkspacesPairs() {
		Owner a = owner();
		Owner b = owner();
		UUID secret = pair(b, "B's secret question?", "B's secret answer.");
		String groups = new TrainedPairs(Map.of(GROUP_HOURS, List.of(secret))).toJson();
		answerModel(a, 1, 5, 2, groups, """
				{"confused_groups": [{"group_a": "%s", "group_b": "%s", "a_as_b": 1, "b_as_a": 1}],
				 "misplaced_pairs": [{"qa_pair_id": "%s", "group": "%s", "predicted_group": "%s", "probability": 0.9}]}
				""".formatted(GROUP_HOURS, GROUP_REFUNDS, secret, GROUP_HOURS, GROUP_REFUNDS));
		Reply reply = get(a.token(), "/api/owner/answer-model/health");
		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.body()).doesNotContain("B's");
		assertThat(reply.json().get("health").get("confused_groups").get(0).get("group_a").get("representative").isNull())
			.isTrue();
		assertThat(get(b.token(), "/api/owner/answer-model/health").json().get("reason").asString()).isEqualTo("no_model");
	}

}
