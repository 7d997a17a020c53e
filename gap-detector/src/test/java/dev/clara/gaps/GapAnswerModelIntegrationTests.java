package dev.clara.gaps;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import dev.clara.gaps.GapFixture.Gap;
import dev.clara.outbox.GapEvents;
import dev.clara.outbox.OutboxWriter;
import dev.clara.shared.answers.AnswerGroups;
import dev.clara.shared.answers.AnswerModel;
import dev.clara.shared.answers.AnswerModelTrainer;
import dev.clara.shared.answers.AnswerModelTrainer.Example;
import dev.clara.shared.answers.Prediction;
import dev.clara.shared.answers.TrainedPairs;
import dev.clara.shared.embedding.LocalEmbeddingProvider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.clara.gaps.SyntheticProvider.at;
import static dev.clara.gaps.SyntheticProvider.axis;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Automatic closing with a workspace's answer model, as the chat turn decides: this class's own
 * database calibrates the answer model for the fixture's embedding model ({@code {1, 0}}: the
 * confidence is the model's probability for its best group) and leaves the similarity
 * uncalibrated. Each workspace answers at 0.70, where the old rule (threshold + margin 0.05, floor
 * 0.60) closed at a similarity of 0.75 whatever the model said. Models are trained with
 * {@link AnswerModelTrainer} on made-up vectors ({@link SyntheticProvider}) and stored as the
 * trainer stores them; each test first checks that the model says what the test needs.
 */
class GapAnswerModelIntegrationTests {

	private static final double THRESHOLD = 0.70;

	private static final String OTHER_MODEL = LocalEmbeddingProvider.BGE_SMALL_EN_V15_Q;

	private static final String DOGS = "Dogs are welcome.";

	static GapFixture fixture;

	static Gaps gaps;

	static final SyntheticProvider provider = new SyntheticProvider();

	/** A pair a model is trained on. */
	record Phrasing(UUID pairId, String answer, float[] vector) {
	}

	@BeforeAll
	static void start() {
		fixture = new GapFixture("gap_answer_model");
		DataSource dataSource = fixture.database.dataSource();
		JdbcClient jdbc = JdbcClient.create(dataSource);
		gaps = new Gaps(new TransactionTemplate(new DataSourceTransactionManager(dataSource)), new GapRepository(jdbc),
				new GapDecisions(new DecisionRepository(jdbc)), new GapEvents(jdbc, new OutboxWriter(jdbc, fixture.codec)),
				new GapEmbeddings(provider), GapProperties.defaults(), new SimpleMeterRegistry());
		// both models calibrated (the other one by the migrations), so only the embedding model a
		// stored model was trained on tells them apart; here confidence = the model's probability
		fixture.jdbc.sql("""
				INSERT INTO answer_calibrations (embedding_model, path, phrasings_per_group, a, b, threshold)
				VALUES (:model, 'answer_model', 1, 1, 0, 0.7)""").param("model", GapFixture.MODEL).update();
	}

	@AfterAll
	static void stop() {
		fixture.close();
	}

	@Test
	void aNewPairOfTheGroupTheModelAnswersClosesTheGapThoughItsSimilarityIsBelowTheThreshold() {
		UUID workspace = workspace();
		List<Phrasing> others = otherGroups(workspace);
		UUID gap = gap(workspace, "Can I bring my dog?", axis(0));
		// the owner answers with a new pair; the trainer stores a model with it before this event is consumed
		UUID pets = fixture.pair(workspace, "Are pets allowed?", DOGS, at(0.65, axis(0), 21));
		List<Phrasing> phrasings = new ArrayList<>(others);
		phrasings.add(new Phrasing(pets, DOGS, at(0.65, axis(0), 21)));
		AnswerModel model = storeModel(workspace, 1, GapFixture.MODEL, phrasings, List.of());
		Prediction prediction = model.predict(axis(0));
		assertThat(prediction.bestGroupId()).as("the model answers the gap's question with the new pair's group")
			.isEqualTo(AnswerGroups.groupId(DOGS));
		assertThat(prediction.bestProbability()).isGreaterThanOrEqualTo(THRESHOLD);

		assertThat(gaps.closeAnswered(fixture.embedded(workspace, pets, "Are pets allowed?")).gapIds())
			.as("similarity 0.65 is below 0.70, the model's confidence is not")
			.containsExactly(gap);
		assertThat(fixture.gap(gap)).extracting(Gap::status, Gap::resolvedQaId).containsExactly("resolved", pets);

		// a paraphrase asked now is answered by the same decision: recorded resolved at once
		provider.define("Is my cat welcome?", at(0.95, axis(0), 22));
		Gaps.Recorded paraphrase = gaps.recordQuestion(fixture.gapQuestion(workspace, fixture.conversation(workspace),
				"Is my cat welcome?", Instant.now()));
		assertThat(paraphrase.resolvedAtOnce()).as("similarity 0.62 to the pair; the model answers").isTrue();
		assertThat(fixture.gap(paraphrase.gapId()).resolvedQaId()).isEqualTo(pets);
	}

	@Test
	void theNearestPairClosesNothingWhenTheModelThatSawItIsUnsureThoughItsSimilarityReachesTheThreshold() {
		UUID workspace = workspace();
		List<Phrasing> phrasings = new ArrayList<>(otherGroups(workspace));
		UUID gap = gap(workspace, "Do you sell refurbished phones?", axis(2));
		String answer = "Yes, with a one-year warranty.";
		UUID used = fixture.pair(workspace, "Do you sell used phones?", answer, at(0.9, axis(2), 23));
		phrasings.add(new Phrasing(used, answer, at(0.9, axis(2), 23)));
		// the owner marked questions like the gap's as not something the shop answers (dismissed gaps)
		AnswerModel model = storeModel(workspace, 1, GapFixture.MODEL, phrasings, List.of(axis(2), axis(2)));
		assertThat(model.predict(axis(2)).bestProbability()).as("the model is unsure").isLessThan(THRESHOLD);

		assertThat(gaps.closeAnswered(fixture.embedded(workspace, used, "Do you sell used phones?")).gapIds())
			.as("the nearest pair at 0.90 (the old rule closed at 0.75), but the model saw it and is unsure")
			.isEmpty();
		assertThat(fixture.gap(gap).status()).isEqualTo("open");
	}

	@Test
	void anAnswerModelOfAnotherEmbeddingModelIsNeverUsed() {
		UUID workspace = workspace();
		List<Phrasing> phrasings = new ArrayList<>(otherGroups(workspace));
		UUID gap = gap(workspace, "May I come with my dog?", axis(0));
		UUID pets = fixture.pair(workspace, "Are pets allowed?", DOGS, at(0.65, axis(0), 21));
		phrasings.add(new Phrasing(pets, DOGS, at(0.65, axis(0), 21)));
		// the same model as in the first test, but trained on (and stored for) another embedding model
		AnswerModel model = storeModel(workspace, 1, OTHER_MODEL, phrasings, List.of());
		assertThat(model.predict(axis(0)).bestProbability()).as("it would answer, if it were used")
			.isGreaterThanOrEqualTo(THRESHOLD);

		assertThat(gaps.closeAnswered(fixture.embedded(workspace, pets, "Are pets allowed?")).gapIds())
			.as("without a model of its own embedding model, 0.65 is below 0.70")
			.isEmpty();
		assertThat(fixture.gap(gap).status()).isEqualTo("open");
		provider.define("Can my puppy come along?", at(0.95, axis(0), 22));
		assertThat(gaps.recordQuestion(fixture.gapQuestion(workspace, fixture.conversation(workspace),
				"Can my puppy come along?", Instant.now())).resolvedAtOnce()).isFalse();
	}

	@Test
	void aNewGapTheModelAnswersWithAGroupOtherThanTheNearestPairsIsResolvedWithThatGroupsMostSimilarPair() {
		UUID workspace = workspace();
		List<Phrasing> phrasings = new ArrayList<>(otherGroups(workspace));
		UUID pets = fixture.pair(workspace, "Are pets allowed?", DOGS, at(0.65, axis(0), 21));
		UUID animals = fixture.pair(workspace, "Can animals come in?", DOGS, at(0.60, axis(0), 24));
		phrasings.add(new Phrasing(pets, DOGS, at(0.65, axis(0), 21)));
		phrasings.add(new Phrasing(animals, DOGS, at(0.60, axis(0), 24)));
		AnswerModel model = storeModel(workspace, 1, GapFixture.MODEL, phrasings, List.of());
		assertThat(model.predict(axis(0)).bestGroupId()).isEqualTo(AnswerGroups.groupId(DOGS));
		assertThat(model.predict(axis(0)).bestProbability()).isGreaterThanOrEqualTo(THRESHOLD);
		// added since the model was trained, and nearer to the question than the dog pairs
		fixture.pair(workspace, "Can I bring my horse?", "Horses stay outside.", at(0.68, axis(0), 25));

		provider.define("Can my dog come in?", axis(0));
		Gaps.Recorded recorded = gaps.recordQuestion(fixture.gapQuestion(workspace, fixture.conversation(workspace),
				"Can my dog come in?", Instant.now()));

		assertThat(recorded.resolvedAtOnce()).as("the nearest pair (0.68, unseen) is below 0.70; the model answers")
			.isTrue();
		assertThat(fixture.gap(recorded.gapId()).resolvedQaId()).as("the model's group's pair most similar to it")
			.isEqualTo(pets);
	}

	private static UUID workspace() {
		UUID workspace = fixture.workspace();
		fixture.confidenceThreshold(workspace, THRESHOLD);
		return workspace;
	}

	/** Two answer groups of three phrasings each, far from the questions the tests ask (axes 1 and 3). */
	private static List<Phrasing> otherGroups(UUID workspace) {
		List<Phrasing> phrasings = new ArrayList<>();
		String[][] groups = { { "We open at nine.", "When do you open?", "What are your hours?", "Are you open on Sunday?" },
				{ "We ship worldwide.", "Do you ship abroad?", "Where do you deliver?", "Can you send it to Japan?" } };
		int axis = 1;
		int lean = 10;
		for (String[] group : groups) {
			for (int i = 1; i < group.length; i++) {
				float[] vector = at(0.9, axis(axis), lean++);
				phrasings.add(new Phrasing(fixture.pair(workspace, group[i], group[0], vector), group[0], vector));
			}
			axis += 2;
		}
		return phrasings;
	}

	/** An open gap of the question, embedded as {@code vector}. */
	private static UUID gap(UUID workspace, String question, float[] vector) {
		provider.define(question, vector);
		Gaps.Recorded recorded = gaps.recordQuestion(
				fixture.gapQuestion(workspace, fixture.conversation(workspace), question, Instant.now()));
		assertThat(recorded.result()).isEqualTo(Gaps.Result.OPENED);
		assertThat(recorded.resolvedAtOnce()).isFalse();
		return recorded.gapId();
	}

	/** Trains a model on the phrasings and stores it as the trainer does (answer_models, V31). */
	private static AnswerModel storeModel(UUID workspace, int version, String embeddingModel, List<Phrasing> phrasings,
			List<float[]> outOfScope) {
		AnswerModelTrainer.Trained trained = new AnswerModelTrainer(AnswerModelTrainer.Settings.defaults()).train(
				embeddingModel,
				phrasings.stream().map(p -> new Example(p.vector(), AnswerGroups.groupId(p.answer()))).toList(),
				outOfScope);
		Map<String, List<UUID>> pairsOfGroup = new LinkedHashMap<>();
		trained.model().groupIds().forEach(group -> pairsOfGroup.put(group, new ArrayList<>()));
		phrasings.forEach(p -> pairsOfGroup.get(AnswerGroups.groupId(p.answer())).add(p.pairId()));
		fixture.jdbc.sql("""
				INSERT INTO answer_models (workspace_id, version, embedding_model, model, groups, pair_count, group_count,
				                           out_of_scope_count, fingerprint, iterations, converged, loss, training_ms)
				VALUES (:ws, :version, :embeddingModel, :model, CAST(:groups AS jsonb), :pairs, :groupCount, :outOfScope,
				        'test', :iterations, :converged, :loss, 0)
				""")
			.param("ws", workspace)
			.param("version", version)
			.param("embeddingModel", embeddingModel)
			.param("model", trained.model().toBytes())
			.param("groups", new TrainedPairs(pairsOfGroup).toJson())
			.param("pairs", phrasings.size())
			.param("groupCount", pairsOfGroup.size())
			.param("outOfScope", outOfScope.size())
			.param("iterations", trained.iterations())
			.param("converged", trained.converged())
			.param("loss", trained.loss())
			.update();
		return trained.model();
	}

}
