package dev.clara.shared.answers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;

import dev.clara.shared.answers.AnswerModelTrainer.Example;

/**
 * How healthy a knowledge base is for its answer model, by k-fold cross-validation: every phrasing
 * is predicted by a model trained without it, so a phrasing that lands on another answer group
 * shows where two groups overlap (or where a phrasing was filed under the wrong answer).
 *
 * <p>Folds are stratified by group and drawn with a seeded shuffle, so the same phrasings in the
 * same order give the same folds and the same report. Each fold's model is trained warm from the
 * model of all phrasings, which is near every fold's optimum, so a check costs a few partial
 * trainings rather than k full ones. That model has seen the held-out phrasings, so the trainer
 * must train to convergence (its default tolerance): on CLINC150's 15,000 pairs the warm folds
 * then report what folds from zero report at half the iterations, while at tolerance 1e-4 they
 * stop at once and report 99.2 % instead of 97.6 % (evaluation/ANSWER_MODEL.md).
 *
 * <p>A group with a single phrasing cannot be checked (without it
 * the group does not exist): it stays in every fold's training and is listed as not checked.
 * Out-of-scope examples are in every fold's training and are not checked themselves.
 */
public final class AnswerModelHealth {

	/**
	 * @param folds k of k-fold cross-validation, at least 2
	 * @param seed of the shuffle that draws the folds
	 * @param topPairs confused pairs of groups to report at most
	 * @param warmStart start each fold from the model of all phrasings (cheap), or from zero (exact
	 * cross-validation at k full trainings' cost)
	 */
	public record Settings(int folds, long seed, int topPairs, boolean warmStart) {

		public Settings {
			if (folds < 2 || topPairs < 0) {
				throw new IllegalArgumentException("folds >= 2 and topPairs >= 0");
			}
		}

		public static Settings defaults() {
			return new Settings(5, 20_191_103L, 20, true);
		}

	}

	/**
	 * A phrasing of an answer group under the caller's own id for it (a pair's id, say), which
	 * the report hands back so the caller can name the pair.
	 */
	public record Phrasing<I>(I id, float[] vector, String groupId) {

		public Phrasing {
			Objects.requireNonNull(id, "id");
			Objects.requireNonNull(vector, "vector");
			Objects.requireNonNull(groupId, "groupId");
		}

	}

	/**
	 * A phrasing that a model trained without it gives to another group (or to out of scope).
	 * @param index its position in the phrasings checked
	 * @param predictedGroupId the group predicted, or null when out of scope was more probable than any group
	 * @param probability the probability of what was predicted
	 * @param ownProbability the probability of its own group
	 */
	public record Misplaced<I>(I id, int index, String groupId, String predictedGroupId, double probability,
			double ownProbability) {

		public boolean predictedOutOfScope() {
			return this.predictedGroupId == null;
		}

	}

	/**
	 * Two groups the model mixes up: how many phrasings of the first were given to the second and
	 * the other way round (the first id is the smaller).
	 */
	public record Confusion(String firstGroupId, String secondGroupId, int firstAsSecond, int secondAsFirst) {

		public int total() {
			return this.firstAsSecond + this.secondAsFirst;
		}

	}

	/**
	 * @param checked phrasings predicted by a model trained without them
	 * @param accuracy the fraction of those given to their own group (0 when none could be checked)
	 * @param misplaced the checked phrasings given elsewhere, the most confident first
	 * @param confusions the most confused pairs of groups, most phrasings first
	 * @param uncheckedGroupIds groups with a single phrasing, which cross-validation cannot check
	 * @param iterations L-BFGS iterations of all folds together (the full model's not counted)
	 * @param evaluations of the objective in all folds together, line searches included
	 */
	public record Report<I>(int folds, int checked, double accuracy, List<Misplaced<I>> misplaced,
			List<Confusion> confusions, List<String> uncheckedGroupIds, int iterations, int evaluations, Duration took) {
	}

	private final AnswerModelTrainer trainer;

	private final Settings settings;

	public AnswerModelHealth(AnswerModelTrainer trainer, Settings settings) {
		this.trainer = Objects.requireNonNull(trainer, "trainer");
		this.settings = Objects.requireNonNull(settings, "settings");
	}

	/**
	 * @param embeddingModelId the model that made every vector given
	 * @param phrasings what a training run gets, each with the caller's id
	 * @param outOfScope out-of-scope vectors, as a training run gets them (may be empty)
	 * @param full the model trained on exactly these phrasings, to start each fold from; null to train it here
	 */
	public <I> Report<I> check(String embeddingModelId, List<Phrasing<I>> phrasings, List<float[]> outOfScope,
			AnswerModel full) {
		long started = System.nanoTime();
		List<Example> examples = new ArrayList<>(phrasings.size());
		phrasings.forEach(p -> examples.add(new Example(p.vector(), p.groupId())));
		int[] fold = folds(phrasings);
		boolean anyChecked = Arrays.stream(fold).anyMatch(f -> f >= 0);
		AnswerModel start = !this.settings.warmStart() || !anyChecked ? null
				: full != null ? full : this.trainer.train(embeddingModelId, examples, outOfScope).model();
		Prediction[] predictions = new Prediction[phrasings.size()];
		int iterations = 0;
		int evaluations = 0;
		for (int f = 0; f < this.settings.folds(); f++) {
			List<Example> training = new ArrayList<>();
			for (int i = 0; i < examples.size(); i++) {
				if (fold[i] != f) {
					training.add(examples.get(i));
				}
			}
			if (training.size() == examples.size()) {
				continue;
			}
			AnswerModelTrainer.Trained trained = this.trainer.train(embeddingModelId, training, outOfScope, start);
			iterations += trained.iterations();
			evaluations += trained.evaluations();
			for (int i = 0; i < examples.size(); i++) {
				if (fold[i] == f) {
					predictions[i] = trained.model().predict(examples.get(i).vector());
				}
			}
		}
		return report(phrasings, predictions, unchecked(phrasings), iterations, evaluations,
				Duration.ofNanos(System.nanoTime() - started));
	}

	/**
	 * Each phrasing's fold, or -1 when it is its group's only one: a group's phrasings are shuffled
	 * and dealt out in turn, each group starting where the previous one stopped, so the folds are
	 * near-equal in size and every fold leaves phrasings of every group in training.
	 */
	private int[] folds(List<? extends Phrasing<?>> phrasings) {
		Map<String, List<Integer>> byGroup = new TreeMap<>();
		for (int i = 0; i < phrasings.size(); i++) {
			byGroup.computeIfAbsent(phrasings.get(i).groupId(), g -> new ArrayList<>()).add(i);
		}
		int[] fold = new int[phrasings.size()];
		Random random = new Random(this.settings.seed());
		int next = 0;
		for (List<Integer> members : byGroup.values()) {
			if (members.size() < 2) {
				fold[members.get(0)] = -1;
				continue;
			}
			Collections.shuffle(members, random);
			for (int member : members) {
				fold[member] = next;
				next = (next + 1) % this.settings.folds();
			}
		}
		return fold;
	}

	private static List<String> unchecked(List<? extends Phrasing<?>> phrasings) {
		Map<String, Integer> counts = new TreeMap<>();
		phrasings.forEach(p -> counts.merge(p.groupId(), 1, Integer::sum));
		return counts.entrySet().stream().filter(e -> e.getValue() < 2).map(Map.Entry::getKey).toList();
	}

	private <I> Report<I> report(List<Phrasing<I>> phrasings, Prediction[] predictions, List<String> unchecked,
			int iterations, int evaluations, Duration took) {
		int checked = 0;
		int right = 0;
		List<Misplaced<I>> misplaced = new ArrayList<>();
		Map<String, Map<String, Integer>> counts = new TreeMap<>();
		for (int i = 0; i < predictions.length; i++) {
			Prediction p = predictions[i];
			if (p == null) {
				continue;
			}
			checked++;
			Phrasing<I> phrasing = phrasings.get(i);
			boolean outOfScope = p.outOfScopeProbability() > p.bestProbability();
			if (!outOfScope && p.bestGroupId().equals(phrasing.groupId())) {
				right++;
				continue;
			}
			String predicted = outOfScope ? null : p.bestGroupId();
			misplaced.add(new Misplaced<>(phrasing.id(), i, phrasing.groupId(), predicted,
					outOfScope ? p.outOfScopeProbability() : p.bestProbability(), p.probabilityOf(phrasing.groupId())));
			if (predicted != null) {
				counts.computeIfAbsent(phrasing.groupId(), g -> new TreeMap<>()).merge(predicted, 1, Integer::sum);
			}
		}
		misplaced.sort(Comparator.comparingDouble((Misplaced<I> m) -> -m.probability()).thenComparingInt(Misplaced::index));
		return new Report<>(this.settings.folds(), checked, checked == 0 ? 0 : (double) right / checked, List.copyOf(misplaced),
				confusions(counts), unchecked, iterations, evaluations, took);
	}

	/** Counts of "a given to b" paired with "b given to a", the largest totals first. */
	private List<Confusion> confusions(Map<String, Map<String, Integer>> counts) {
		List<Confusion> pairs = new ArrayList<>();
		counts.forEach((from, to) -> to.forEach((into, n) -> {
			int back = counts.getOrDefault(into, Map.of()).getOrDefault(from, 0);
			if (from.compareTo(into) < 0) {
				pairs.add(new Confusion(from, into, n, back));
			}
			else if (back == 0) {
				// only this direction happened, so the smaller id's side never listed it
				pairs.add(new Confusion(into, from, 0, n));
			}
		}));
		pairs.sort(Comparator.comparingInt(Confusion::total).reversed()
			.thenComparing(Confusion::firstGroupId)
			.thenComparing(Confusion::secondGroupId));
		return List.copyOf(pairs.subList(0, Math.min(this.settings.topPairs(), pairs.size())));
	}

}
