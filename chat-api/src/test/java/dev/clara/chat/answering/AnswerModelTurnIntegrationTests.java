package dev.clara.chat.answering;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.clara.chat.ChatApiHttp;
import dev.clara.chat.ChatApiHttp.Reply;
import dev.clara.chat.ChatApiIntegrationTest;
import dev.clara.shared.answers.AnswerGroups;
import dev.clara.shared.answers.AnswerModel;
import dev.clara.shared.answers.AnswerModelTrainer;
import dev.clara.shared.answers.TrainedPairs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The chat turn with a stored answer model: the model's group answers with its best pair, its
 * pairs listed first, confidence the calibrated probability; a pair newer than the model still
 * answers; a model of another embedding model is never used; turns during a model swap all succeed.
 */
class AnswerModelTurnIntegrationTests extends ChatApiIntegrationTest {

	static final String HOURS = "We are open from 9 to 5, Monday to Friday.";

	static final String REFUNDS = "You can get a full refund within 30 days.";

	static final String SHIPPING = "We ship worldwide; delivery takes 3 to 5 days.";

	UUID workspace;

	Map<String, List<UUID>> pairsOfGroup;

	@BeforeEach
	void knowledgeBaseWithAModel() {
		// confidence = the model's own probability; the similarity stays its own confidence
		this.jdbc.sql("""
				INSERT INTO answer_calibrations (embedding_model, path, phrasings_per_group, a, b, threshold)
				VALUES (:m, 'answer_model', 1, 1, 0, 0.5) ON CONFLICT DO NOTHING""")
			.param("m", this.embeddings.modelId())
			.update();
		this.workspace = this.workspaces.create();
		this.workspaces.settings(this.workspace, "{\"confidence_threshold\": 0.5}");
		this.pairsOfGroup = new LinkedHashMap<>();
		add(HOURS, "What are your opening hours?", "When are you open?", "What time do you open in the morning?");
		add(REFUNDS, "Can I get my money back?", "How do refunds work?", "I want to return my order for a refund");
		add(SHIPPING, "Do you ship abroad?", "How long does delivery take?", "Which countries do you deliver to?");
		store(1, train(false), this.embeddings.modelId());
	}

	@Test
	void theModelsGroupAnswersWithItsBestPairListedFirstAndItsProbabilityAsConfidence() {
		String question = "at what hour do you open your doors on weekdays?";

		JsonNode message = this.http.chat(this.workspace, ChatApiHttp.token(), question).json().get("message");

		assertThat(message.get("content").asString()).isEqualTo(HOURS);
		assertThat(message.get("gap_detected").asBoolean()).isFalse();
		List<String> matched = new ArrayList<>();
		message.get("matched_qa_ids").forEach(id -> matched.add(id.asString()));
		Set<String> hours = Set.copyOf(this.pairsOfGroup.get(AnswerGroups.groupId(HOURS)).stream().map(UUID::toString).toList());
		assertThat(hours).contains(matched.get(0));
		int lastHours = -1;
		int firstOther = matched.size();
		for (int i = 0; i < matched.size(); i++) {
			if (hours.contains(matched.get(i))) {
				lastHours = i;
			}
			else {
				firstOther = Math.min(firstOther, i);
			}
		}
		assertThat(lastHours).as("the answer group's pairs come first").isLessThan(firstOther);
		double probability = train(false).predict(this.embeddings.embed(question)).bestProbability();
		assertThat(message.get("confidence").asDouble()).isCloseTo(probability, within(1e-6));
	}

	@Test
	void theModelsConfidenceWeighsTheNearestPairTheSearchFound() {
		String question = "at what hour do you open your doors on weekdays?";
		double probability = train(false).predict(this.embeddings.embed(question)).bestProbability();
		Map<String, Object> nearest = this.jdbc.sql("""
				SELECT answer, 1 - (embedding OPERATOR(extensions.<=>) CAST(:q AS extensions.vector)) AS cosine
				  FROM qa_pairs WHERE workspace_id = :ws ORDER BY cosine DESC LIMIT 1""")
			.param("q", new com.pgvector.PGvector(this.embeddings.embed(question)).toString())
			.param("ws", this.workspace)
			.query()
			.singleRow();
		setSignalWeights(2.0, -1.0);
		try {
			JsonNode message = this.http.chat(this.workspace, ChatApiHttp.token(), question).json().get("message");

			assertThat(message.get("content").asString()).isEqualTo(HOURS);
			double logit = Math.log(probability / (1 - probability));
			double agrees = nearest.get("answer").equals(HOURS) ? 1 : 0;
			double expected = 1 / (1 + Math.exp(-(logit + 2.0 * ((Number) nearest.get("cosine")).doubleValue() - agrees)));
			assertThat(agrees).as("the nearest pair is of the model's group").isEqualTo(1);
			assertThat(message.get("confidence").asDouble()).isCloseTo(expected, within(1e-6));
		}
		finally {
			setSignalWeights(0, 0);
		}
	}

	private void setSignalWeights(double cosine, double agreement) {
		this.jdbc.sql("""
				UPDATE answer_calibrations SET cosine_weight = :c, agreement_weight = :g
				 WHERE embedding_model = :m AND path = 'answer_model' AND phrasings_per_group = 1""")
			.param("c", cosine)
			.param("g", agreement)
			.param("m", this.embeddings.modelId())
			.update();
	}

	@Test
	void aPairAddedAfterTheModelWasTrainedIsAnsweredBeforeTheNextTraining() {
		this.workspaces.pair(this.workspace, "Do you sell gift cards?", "Yes, gift cards start at $10.", "general");

		JsonNode message = this.http.chat(this.workspace, ChatApiHttp.token(), "Do you sell gift cards?")
			.json()
			.get("message");

		assertThat(message.get("content").asString()).isEqualTo("Yes, gift cards start at $10.");
		assertThat(message.get("gap_detected").asBoolean()).isFalse();
	}

	@Test
	void aModelOfAnotherEmbeddingModelIsNeverUsedWhileOneOfTheSearchModelIs() {
		String question = "What are your opening hours?";
		// a newer model that answers every hours question with refunds...
		store(2, train(true), "bge-small-en-v1.5-q");
		// ...is not used: it was trained on another embedding model's vectors
		assertThat(answer(question)).isEqualTo(HOURS);

		// the same model as the search model's newest version is used: this test can fail
		store(3, train(true), this.embeddings.modelId());
		assertThat(answer(question)).isEqualTo(REFUNDS);
	}

	@Test
	void concurrentTurnsDuringModelSwapsAllSucceed() throws Exception {
		AtomicBoolean swapping = new AtomicBoolean(true);
		ExecutorService pool = Executors.newFixedThreadPool(6);
		try {
			Future<Integer> swaps = pool.submit(() -> {
				int version = 2;
				while (swapping.get()) {
					store(version, train(version % 2 == 0), this.embeddings.modelId());
					version++;
				}
				return version;
			});
			List<Future<Reply>> turns = new ArrayList<>();
			for (int i = 0; i < 40; i++) {
				turns.add(pool.submit(() -> this.http.chat(this.workspace, ChatApiHttp.token(), "When are you open?")));
			}
			for (Future<Reply> turn : turns) {
				Reply reply = turn.get();
				assertThat(reply.status()).as(reply.body()).isEqualTo(200);
				assertThat(reply.json().get("message").get("content").asString()).isIn(HOURS, REFUNDS);
			}
			swapping.set(false);
			assertThat(swaps.get()).as("models were swapped while the turns ran").isGreaterThan(3);
		}
		finally {
			swapping.set(false);
			pool.shutdownNow();
		}
	}

	private String answer(String question) {
		return this.http.chat(this.workspace, ChatApiHttp.token(), question).json().get("message").get("content").asString();
	}

	private void add(String answer, String... questions) {
		List<UUID> ids = new ArrayList<>();
		for (String question : questions) {
			ids.add(this.workspaces.pair(this.workspace, question, answer, "general"));
		}
		this.pairsOfGroup.put(AnswerGroups.groupId(answer), ids);
	}

	/** A model of the knowledge base; {@code swapped}: hours and refunds phrasings trade labels. */
	private AnswerModel train(boolean swapped) {
		String hours = AnswerGroups.groupId(HOURS);
		String refunds = AnswerGroups.groupId(REFUNDS);
		List<AnswerModelTrainer.Example> examples = new ArrayList<>();
		this.jdbc.sql("SELECT answer, embedding::text FROM qa_pairs WHERE workspace_id = :ws ORDER BY id")
			.param("ws", this.workspace)
			.query((row, i) -> {
				String group = AnswerGroups.groupId(row.getString(1));
				if (swapped && (group.equals(hours) || group.equals(refunds))) {
					group = group.equals(hours) ? refunds : hours;
				}
				return new AnswerModelTrainer.Example(new com.pgvector.PGvector(row.getString(2)).toArray(), group);
			})
			.list()
			.forEach(examples::add);
		return new AnswerModelTrainer(AnswerModelTrainer.Settings.defaults())
			.train(this.embeddings.modelId(), examples, List.of())
			.model();
	}

	private void store(int version, AnswerModel model, String embeddingModel) {
		this.jdbc.sql("""
				INSERT INTO answer_models (workspace_id, version, embedding_model, model, groups, pair_count, group_count,
				                           fingerprint, iterations, converged, loss, training_ms)
				VALUES (:ws, :version, :embeddingModel, :model, CAST(:groups AS jsonb), 9, 3, :fingerprint, 1, true, 0, 1)
				""")
			.param("ws", this.workspace)
			.param("version", version)
			.param("embeddingModel", embeddingModel)
			.param("model", model.toBytes())
			.param("groups", new TrainedPairs(this.pairsOfGroup).toJson())
			.param("fingerprint", "test-" + version)
			.update();
	}

}
