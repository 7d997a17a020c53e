package dev.clara.gaps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.zaxxer.hikari.HikariDataSource;
import dev.clara.gaps.Clinc150GapData.Item;
import dev.clara.gaps.Clinc150GapDatabase.Asked;
import dev.clara.schema.Migrations;
import dev.clara.shared.embedding.EmbeddingProvider;
import dev.clara.shared.embedding.LocalEmbeddingProvider;
import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.QaPairEmbedded;
import dev.clara.testing.LocalPostgres;
import dev.clara.testing.TestDatabase;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Measures gap grouping and automatic closing on CLINC150 (Larson et al., EMNLP-IJCNLP 2019,
 * CC BY 3.0), through the gap detector's own code ({@link Gaps}) against a real database. Not a
 * test of the surefire suite: run it by hand (see gap-detector/README.md, "Measuring on CLINC150").
 *
 * <p>Set-up: the intents are shuffled (fixed seed); {@code --left-out} of them are left out of the
 * knowledge base, the rest contribute {@code --kb-per-intent} training utterances each as Q&A
 * pairs. Every validation utterance (150 x 20) and every out-of-scope validation query (100) is
 * then asked as a visitor would: its best match is searched with {@code search_qa_pairs} and it
 * is a gap when the similarity is below the workspace's threshold, exactly as the chat flags it.
 * The gaps go through {@link Gaps#recordQuestion} in a shuffled order. Then, for every left-out
 * intent, {@code --fix-per-intent} training utterances are added as new Q&A pairs (with their
 * vectors, as the embedding worker writes them) and each one's {@code QaPairEmbedded} goes
 * through {@link Gaps#closeAnswered}, which closes a gap when the chat turn's decision
 * ({@code AnswerDecision}) would now answer it with the new pair's answer group. This database has
 * the migrations' calibrations (none measured: the similarity is its own confidence) and no answer
 * model, so that decision is "the new pair is the gap's nearest and its similarity reaches the
 * workspace's threshold"; the closing rows sweep that threshold.
 *
 * <p>Grouping is scored pairwise over the asked gap questions: precision = share of pairs in the
 * same group that have the same intent, recall = share of same-intent pairs that share a group
 * (every out-of-scope query is its own intent). The intents (and out-of-scope queries) are split
 * in two halves: the grouping configuration with the best F0.5 (precision weighs twice as much as
 * recall) on the "tune" half is chosen, and reported on the "report" half. Automatic closing is correct when the closing pair's intent is the gap's.
 *
 * <p>The split is {@link Clinc150GapData}, the writes and searches {@link Clinc150GapDatabase}, the
 * grouping metric {@link PairwiseScore}; this class runs the sweeps and writes the report.
 */
public final class Clinc150GapEvaluation {

	private final Options options;

	private final Clinc150GapDatabase database;

	private final StringBuilder report = new StringBuilder();

	private Clinc150GapEvaluation(Options options, Clinc150GapDatabase database) {
		this.options = options;
		this.database = database;
	}

	record Options(String model, int leftOut, int kbPerIntent, int fixPerIntent, long seed, List<Double> thresholds,
			List<Linkage> linkages, List<Double> confidenceOffsets, Path out, boolean keep) {

		static Options parse(String[] args) {
			Map<String, String> values = new HashMap<>();
			for (int i = 0; i < args.length; i++) {
				if (!args[i].startsWith("--")) {
					throw new IllegalArgumentException("unexpected argument " + args[i]);
				}
				String name = args[i].substring(2);
				if (name.equals("keep")) {
					values.put(name, "true");
				}
				else {
					values.put(name, args[++i]);
				}
			}
			String model = values.getOrDefault("model", LocalEmbeddingProvider.ALL_MINILM_L6_V2_Q);
			return new Options(model, Integer.parseInt(values.getOrDefault("left-out", "50")),
					Integer.parseInt(values.getOrDefault("kb-per-intent", "10")),
					Integer.parseInt(values.getOrDefault("fix-per-intent", "5")),
					Long.parseLong(values.getOrDefault("seed", "42")),
					doubles(values.getOrDefault("thresholds", "0.50,0.55,0.60,0.65,0.70,0.75,0.80,0.85,0.90")),
					linkages(values.getOrDefault("linkages", "nearest,centroid,average")),
					doubles(values.getOrDefault("confidence-offsets", "-0.05,0,0.05,0.10")),
					Path.of(values.getOrDefault("out", "target/clinc150-gaps-" + model + ".md")),
					Boolean.parseBoolean(values.getOrDefault("keep", "false")));
		}

		private static List<Double> doubles(String csv) {
			return java.util.Arrays.stream(csv.split(",")).map(String::strip).map(Double::parseDouble).toList();
		}

		private static List<Linkage> linkages(String csv) {
			return java.util.Arrays.stream(csv.split(","))
				.map(s -> Linkage.valueOf(s.strip().toUpperCase(Locale.ROOT)))
				.toList();
		}

	}

	public static void main(String[] args) throws Exception {
		Options options = Options.parse(args);
		long started = System.nanoTime();
		TestDatabase database = LocalPostgres.createMigratedDatabase("clinc150_gaps", Migrations::migrate);
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(database.jdbcUrl());
		dataSource.setUsername(LocalPostgres.superuser());
		dataSource.setMaximumPoolSize(2);
		// the measurement is about decisions, not durability: no fsync per gap
		dataSource.setConnectionInitSql("SET synchronous_commit = off");
		try {
			CachingProvider provider = new CachingProvider(new LocalEmbeddingProvider(options.model()));
			Clinc150GapEvaluation evaluation = new Clinc150GapEvaluation(options,
					new Clinc150GapDatabase(JdbcClient.create(dataSource),
							new TransactionTemplate(new DataSourceTransactionManager(dataSource)), provider,
							options.model()));
			evaluation.run();
			System.out.printf("done in %d s%n", Duration.ofNanos(System.nanoTime() - started).toSeconds());
		}
		finally {
			dataSource.close();
			if (options.keep()) {
				System.out.println("kept database " + database.name());
			}
			else {
				database.close();
			}
		}
	}

	private void run() throws IOException {
		Clinc150GapData data = Clinc150GapData.load(this.options);
		List<String> leftOut = data.leftOut();
		List<String> known = data.known();
		List<Item> questions = data.questions();
		List<Item> kb = data.kb();
		List<Item> fixes = data.fixes();

		line("# Gap grouping and automatic closing on CLINC150");
		line("");
		line("Model `%s`, %s. Knowledge base: %d intents x %d training utterances = %d pairs; %d intents left out.",
				this.options.model(), LocalDate.now(), known.size(), this.options.kbPerIntent(), kb.size(),
				leftOut.size());
		line("Asked: %d validation utterances + %d out-of-scope queries, in a shuffled order (seed %d).",
				data.validationUtterances(), data.outOfScopeQueries(), this.options.seed());
		line("Fixes: %d training utterances of each left-out intent added as new pairs (%d pairs).",
				this.options.fixPerIntent(), fixes.size());
		line("");

		this.database.embedAll(kb, questions, fixes);
		UUID base = this.database.workspace(null);
		Map<UUID, String> pairIntents = this.database.insertPairs(base, kb);
		double modelThreshold = this.database.confidenceThreshold();
		double modelGrouping = this.database.groupingThreshold();
		List<Asked> asked = this.database.ask(base, questions);
		long gapsAtDefault = asked.stream().filter(a -> a.similarity() < modelThreshold).count();
		line("Confidence threshold of the model: %.2f -> %d of %d questions are gaps (%d of the %d left-out intents' questions).",
				modelThreshold, gapsAtDefault, asked.size(),
				asked.stream().filter(a -> a.similarity() < modelThreshold && leftOut.contains(a.item().intent())).count(),
				asked.stream().filter(a -> leftOut.contains(a.item().intent())).count());
		line("");

		// 1. grouping: every linkage x threshold, on the gaps at the model's confidence threshold
		line("## Grouping (pairwise precision / recall / F1 / F0.5 over asked gap questions)");
		line("");
		line("| linkage | threshold | groups | gaps in groups of 2+ | tune P | tune R | tune F1 | tune F0.5 | report P | report R | report F1 | report F0.5 |");
		line("|---|---|---|---|---|---|---|---|---|---|---|---|");
		Score best = null;
		List<Double> thresholds = new ArrayList<>(this.options.thresholds());
		if (!thresholds.contains(modelGrouping)) {
			thresholds.add(modelGrouping);
			Collections.sort(thresholds);
		}
		for (Linkage linkage : this.options.linkages()) {
			for (double threshold : thresholds) {
				long runStarted = System.nanoTime();
				Score score = grouping(asked, modelThreshold, linkage, threshold);
				System.out.printf("(%s %.2f: %d ms)%n", linkage, threshold, (System.nanoTime() - runStarted) / 1_000_000);
				line("| %s | %.2f | %d | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |",
						linkage.name().toLowerCase(Locale.ROOT), threshold, score.groups(), score.grouped(),
						score.tune().precision(), score.tune().recall(), score.tune().f1(), score.tune().fHalf(),
						score.report().precision(), score.report().recall(), score.report().f1(), score.report().fHalf());
				if (best == null || score.tune().fHalf() > best.tune().fHalf()) {
					best = score;
				}
			}
		}
		line("");
		line("Best F0.5 on the tune half: **%s at %.2f** -> on the report half precision %.3f, recall %.3f, F1 %.3f, F0.5 %.3f.",
				best.linkage().name().toLowerCase(Locale.ROOT), best.threshold(), best.report().precision(),
				best.report().recall(), best.report().f1(), best.report().fHalf());
		line("");

		// 2. automatic closing, with the best grouping: the chat's decision at confidence thresholds
		// around the model's (the threshold both flags the gaps and closes them)
		line("## Automatic closing (%d new pairs of the left-out intents, each re-scoring the open gaps)", fixes.size());
		line("");
		line("| confidence threshold | gaps | closed | correct | precision | left-out gaps closed (recall) | wrong: out-of-scope | wrong: known intents | wrong: other left-out |");
		line("|---|---|---|---|---|---|---|---|---|");
		for (double offset : this.options.confidenceOffsets()) {
			double threshold = Math.round((modelThreshold + offset) * 100) / 100.0;
			closing(asked, kb, fixes, leftOut, threshold, best);
		}
		line("");
		line("Pairs of the base knowledge base: %d (intents: %d).", pairIntents.size(), new LinkedHashSet<>(pairIntents.values()).size());
		Files.createDirectories(this.options.out().toAbsolutePath().getParent());
		Files.writeString(this.options.out(), this.report);
		System.out.println("wrote " + this.options.out().toAbsolutePath());
	}

	// ------------------------------------------------------------------ grouping

	/** One grouping configuration's row: its groups and its pairwise scores on both halves. */
	record Score(Linkage linkage, double threshold, int groups, int grouped, PairwiseScore tune, PairwiseScore report) {
	}

	private Score grouping(List<Asked> asked, double confidence, Linkage linkage, double threshold) {
		UUID workspace = this.database.workspace(null);
		Gaps gaps = this.database.gaps(GapProperties.defaults().withGrouping(threshold, linkage));
		List<Item> items = new ArrayList<>();
		List<UUID> gapOfItem = new ArrayList<>();
		for (Asked question : asked) {
			if (question.similarity() >= confidence) {
				continue;
			}
			Gaps.Recorded recorded = gaps.recordQuestion(this.database.questionAsked(workspace, question, confidence));
			items.add(question.item());
			gapOfItem.add(recorded.gapId());
		}
		Map<UUID, UUID> groupOfGap = this.database.groups(workspace);
		List<UUID> groupOfItem = gapOfItem.stream().map(groupOfGap::get).toList();
		Map<UUID, Integer> sizes = new HashMap<>();
		groupOfGap.values().forEach(g -> sizes.merge(g, 1, Integer::sum));
		int grouped = (int) groupOfGap.values().stream().filter(g -> sizes.get(g) > 1).count();
		return new Score(linkage, threshold, sizes.size(), grouped, PairwiseScore.of(items, groupOfItem, true),
				PairwiseScore.of(items, groupOfItem, false));
	}

	// ------------------------------------------------------------------ closing

	private void closing(List<Asked> asked, List<Item> kb, List<Item> fixes, List<String> leftOut, double confidence,
			Score grouping) {
		UUID workspace = this.database.workspace(confidence);
		this.database.insertPairs(workspace, kb);
		Gaps gaps = this.database.gaps(GapProperties.defaults().withGrouping(grouping.threshold(), grouping.linkage()));
		Map<UUID, String> intentOfGap = new HashMap<>();
		for (Asked question : asked) {
			if (question.similarity() >= confidence) {
				continue;
			}
			Gaps.Recorded recorded = gaps.recordQuestion(this.database.questionAsked(workspace, question, confidence));
			intentOfGap.put(recorded.gapId(), question.item().intent());
		}
		long leftOutGaps = intentOfGap.values().stream().filter(leftOut::contains).count();
		int closed = 0;
		int correct = 0;
		int wrongOos = 0;
		int wrongKnown = 0;
		int wrongLeftOut = 0;
		Set<UUID> closedLeftOut = new LinkedHashSet<>();
		for (Item fix : fixes) {
			UUID pair = this.database.insertPairs(workspace, List.of(fix)).keySet().iterator().next();
			Gaps.Closed result = gaps.closeAnswered(EventCodec.envelope(workspace, Instant.now(),
					new QaPairEmbedded(pair, fix.text(), this.options.model(), Instant.now())));
			for (UUID gap : result.gapIds()) {
				String intent = intentOfGap.get(gap);
				closed++;
				if (intent.equals(fix.intent())) {
					correct++;
					closedLeftOut.add(gap);
				}
				else if (intent.startsWith("oos#")) {
					wrongOos++;
				}
				else if (leftOut.contains(intent)) {
					wrongLeftOut++;
				}
				else {
					wrongKnown++;
				}
			}
		}
		line("| %.2f | %d | %d | %d | %s | %d / %d = %.3f | %d | %d | %d |", confidence, intentOfGap.size(), closed,
				correct, closed == 0 ? "-" : String.format(Locale.ROOT, "%.3f", (double) correct / closed),
				closedLeftOut.size(), leftOutGaps, leftOutGaps == 0 ? 0 : (double) closedLeftOut.size() / leftOutGaps,
				wrongOos, wrongKnown, wrongLeftOut);
	}

	private void line(String format, Object... args) {
		String text = String.format(Locale.ROOT, format, args);
		System.out.println(text);
		this.report.append(text).append('\n');
	}
	/** The real model, with each text embedded once per run (the sweeps ask the same questions many times). */
	static final class CachingProvider implements EmbeddingProvider {

		private final EmbeddingProvider delegate;

		private final Map<String, float[]> cache = new ConcurrentHashMap<>();

		CachingProvider(EmbeddingProvider delegate) {
			this.delegate = delegate;
		}

		@Override
		public String modelId() {
			return this.delegate.modelId();
		}

		@Override
		public int dimensions() {
			return this.delegate.dimensions();
		}

		@Override
		public List<float[]> embedAll(List<String> texts) {
			List<String> missing = texts.stream().filter(t -> !this.cache.containsKey(t)).distinct().toList();
			List<float[]> vectors = this.delegate.embedAll(missing);
			for (int i = 0; i < missing.size(); i++) {
				this.cache.put(missing.get(i), vectors.get(i));
			}
			return texts.stream().map(this.cache::get).toList();
		}

	}

}
