package dev.clara.shared.answers;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import dev.clara.shared.answers.AnswerModelHealth.Confusion;
import dev.clara.shared.answers.AnswerModelHealth.Misplaced;
import dev.clara.shared.answers.AnswerModelHealth.Phrasing;
import dev.clara.shared.answers.AnswerModelHealth.Report;
import org.junit.jupiter.api.Test;

import static dev.clara.shared.answers.AnswerModelTests.near;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnswerModelHealthTests {

	static final AnswerModelTrainer TRAINER = new AnswerModelTrainer(AnswerModelTests.SETTINGS);

	/**
	 * "hours" and "opening" phrasings are near-identical (the same axis), "shipping" is far from
	 * both, "refunds" has a single phrasing.
	 */
	static List<Phrasing<UUID>> knowledgeBase(Random random) {
		List<Phrasing<UUID>> phrasings = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			phrasings.add(new Phrasing<>(id(random), near(0, 0.05, random), "hours"));
			phrasings.add(new Phrasing<>(id(random), near(0, 0.05, random), "opening"));
			phrasings.add(new Phrasing<>(id(random), near(1, 0.05, random), "shipping"));
		}
		phrasings.add(new Phrasing<>(id(random), near(2, 0.05, random), "refunds"));
		return phrasings;
	}

	static UUID id(Random random) {
		return new UUID(random.nextLong(), random.nextLong());
	}

	@Test
	void groupsWithTheSamePhrasingsAreConfusedAndASeparateOneIsNot() {
		List<Phrasing<UUID>> phrasings = knowledgeBase(new Random(1));

		Report<UUID> report = new AnswerModelHealth(TRAINER, AnswerModelHealth.Settings.defaults())
			.check("m", phrasings, List.of(), null);

		assertThat(report.folds()).isEqualTo(5);
		assertThat(report.checked()).isEqualTo(36);
		assertThat(report.uncheckedGroupIds()).containsExactly("refunds");
		assertThat(report.confusions()).isNotEmpty();
		Confusion top = report.confusions().get(0);
		assertThat(top.firstGroupId()).isEqualTo("hours");
		assertThat(top.secondGroupId()).isEqualTo("opening");
		assertThat(top.firstAsSecond()).isPositive();
		assertThat(top.secondAsFirst()).isPositive();
		assertThat(report.confusions()).hasSize(1);
		assertThat(report.misplaced()).hasSize(top.total());
		assertThat(report.misplaced()).allSatisfy(m -> {
			assertThat(m.groupId()).isIn("hours", "opening");
			assertThat(m.predictedGroupId()).isIn("hours", "opening").isNotEqualTo(m.groupId());
			assertThat(m.probability()).isGreaterThan(m.ownProbability());
			assertThat(m.id()).isEqualTo(phrasings.get(m.index()).id());
		});
		assertThat(report.misplaced()).extracting(Misplaced::probability).isSortedAccordingTo((a, b) -> Double.compare(b, a));
		// shipping is always right; hours and opening are a coin toss
		assertThat(report.accuracy()).isBetween(12.0 / 36, 1 - 1.0 / 36);
	}

	@Test
	void theSamePhrasingsGiveTheSameReport() {
		List<Phrasing<UUID>> phrasings = knowledgeBase(new Random(2));
		AnswerModelHealth health = new AnswerModelHealth(TRAINER, new AnswerModelHealth.Settings(4, 7, 10, true));
		AnswerModel full = TRAINER.train("m", phrasings.stream()
			.map(p -> new AnswerModelTrainer.Example(p.vector(), p.groupId())).toList(), List.of()).model();

		Report<UUID> once = health.check("m", phrasings, List.of(), full);
		Report<UUID> again = health.check("m", phrasings, List.of(), null);

		assertThat(again.misplaced()).isEqualTo(once.misplaced());
		assertThat(again.confusions()).isEqualTo(once.confusions());
		assertThat(again.accuracy()).isEqualTo(once.accuracy());
	}

	@Test
	void aPhrasingFiledUnderTheWrongGroupIsNamed() {
		Random random = new Random(3);
		List<Phrasing<String>> phrasings = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			phrasings.add(new Phrasing<>("hours-" + i, near(0, 0.05, random), "hours"));
			phrasings.add(new Phrasing<>("shipping-" + i, near(1, 0.05, random), "shipping"));
		}
		phrasings.add(new Phrasing<>("misfiled", near(1, 0.05, random), "hours"));

		for (boolean warm : new boolean[] { true, false }) {
			Report<String> report = new AnswerModelHealth(TRAINER, new AnswerModelHealth.Settings(5, 1, 20, warm))
				.check("m", phrasings, List.of(), null);

			assertThat(report.misplaced()).extracting(Misplaced::id).containsExactly("misfiled");
			assertThat(report.misplaced().get(0).predictedGroupId()).isEqualTo("shipping");
			assertThat(report.confusions()).containsExactly(new Confusion("hours", "shipping", 1, 0));
			assertThat(report.accuracy()).isEqualTo(20.0 / 21);
		}
	}

	@Test
	void aPhrasingLikeTheOutOfScopeExamplesIsMisplacedAsOutOfScope() {
		Random random = new Random(4);
		List<Phrasing<String>> phrasings = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			phrasings.add(new Phrasing<>("hours-" + i, near(0, 0.05, random), "hours"));
			phrasings.add(new Phrasing<>("shipping-" + i, near(1, 0.05, random), "shipping"));
		}
		phrasings.add(new Phrasing<>("weather", near(5, 0.05, random), "hours"));
		phrasings.add(new Phrasing<>("weather-again", near(5, 0.05, random), "shipping"));
		List<float[]> outOfScope = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			outOfScope.add(near(5, 0.05, random));
		}

		Report<String> report = new AnswerModelHealth(TRAINER, AnswerModelHealth.Settings.defaults())
			.check("m", phrasings, outOfScope, null);

		assertThat(report.misplaced()).extracting(Misplaced::id).containsExactlyInAnyOrder("weather", "weather-again");
		assertThat(report.misplaced()).allSatisfy(m -> assertThat(m.predictedOutOfScope()).isTrue());
		assertThat(report.confusions()).isEmpty();
	}

	@Test
	void onlySinglePhrasingsLeaveNothingToCheck() {
		Random random = new Random(5);
		List<Phrasing<String>> phrasings = List.of(new Phrasing<>("a", near(0, 0.05, random), "hours"),
				new Phrasing<>("b", near(1, 0.05, random), "shipping"));

		Report<String> report = new AnswerModelHealth(TRAINER, AnswerModelHealth.Settings.defaults())
			.check("m", phrasings, List.of(), null);

		assertThat(report.checked()).isZero();
		assertThat(report.uncheckedGroupIds()).containsExactly("hours", "shipping");
		assertThat(report.misplaced()).isEmpty();
		assertThatThrownBy(() -> new AnswerModelHealth.Settings(1, 0, 10, true)).isInstanceOf(IllegalArgumentException.class);
	}

}
