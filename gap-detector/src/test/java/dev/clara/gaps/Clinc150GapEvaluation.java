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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.pgvector.PGvector;
import com.zaxxer.hikari.HikariDataSource;
import dev.clara.outbox.GapEvents;
import dev.clara.outbox.OutboxWriter;
import dev.clara.schema.Migrations;
import dev.clara.shared.embedding.EmbeddingProvider;
import dev.clara.shared.embedding.LocalEmbeddingProvider;
import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.QaPairEmbedded;
import dev.clara.shared.events.QuestionAsked;
import dev.clara.testing.LocalPostgres;
import dev.clara.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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
 */
public final class Clinc150GapEvaluation {

	/** {@code -Dclara.clinc150=FILE}, else the shared data folder beside the checkout (from its root or a module). */
	private static Path data() {
		String configured = System.getProperty("clara.clinc150", System.getenv("CLARA_CLINC150"));
		if (configured != null) {
			return Path.of(configured);
		}
		for (String candidate : List.of("../shared/data/clinc150/clinc150_train_val.json",
				"../../shared/data/clinc150/clinc150_train_val.json")) {
			if (Files.isRegularFile(Path.of(candidate))) {
				return Path.of(candidate);
			}
		}
		throw new IllegalStateException("CLINC150 not found: pass -Dclara.clinc150=.../clinc150_train_val.json");
	}

	private final Options options;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final EmbeddingProvider provider;

	private final StringBuilder report = new StringBuilder();

	private Clinc150GapEvaluation(Options options, JdbcClient jdbc, TransactionTemplate transactions,
			EmbeddingProvider provider) {
		this.options = options;
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.provider = provider;
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

	/** One utterance, with its intent ({@code oos} queries get a unique label) and its half. */
	record Item(String text, String intent, boolean tune) {
	}

	/** A question as the chat saw it: best match and similarity in the base knowledge base. */
	record Asked(Item item, UUID bestMatch, double similarity) {
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
			Clinc150GapEvaluation evaluation = new Clinc150GapEvaluation(options, JdbcClient.create(dataSource),
					new TransactionTemplate(new DataSourceTransactionManager(dataSource)), provider);
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
		JsonNode data = JsonMapper.builder().build().readTree(data().toFile());
		Random random = new Random(this.options.seed());
		List<String> intents = new ArrayList<>(new java.util.TreeSet<>(intents(data.get("train"))));
		Collections.shuffle(intents, random);
		List<String> leftOut = intents.subList(0, this.options.leftOut());
		List<String> known = intents.subList(this.options.leftOut(), intents.size());
		Set<String> tuneIntents = new LinkedHashSet<>();
		for (List<String> part : List.of(leftOut, known)) {
			for (int i = 0; i < part.size(); i += 2) {
				tuneIntents.add(part.get(i));
			}
		}
		Map<String, List<String>> train = byIntent(data.get("train"));
		train.values().forEach(list -> Collections.shuffle(list, random));
		List<Item> questions = new ArrayList<>();
		for (JsonNode row : data.get("val")) {
			String intent = row.get(1).stringValue();
			questions.add(new Item(row.get(0).stringValue(), intent, tuneIntents.contains(intent)));
		}
		int oos = 0;
		for (JsonNode row : data.get("oos_val")) {
			questions.add(new Item(row.get(0).stringValue(), "oos#" + oos, oos % 2 == 0));
			oos++;
		}
		Collections.shuffle(questions, random);

		// knowledge base and fixes: the first kb-per-intent training utterances of each known intent,
		// the next fix-per-intent of each left-out intent
		List<Item> kb = new ArrayList<>();
		for (String intent : known) {
			train.get(intent).stream().limit(this.options.kbPerIntent()).forEach(t -> kb.add(new Item(t, intent, false)));
		}
		List<Item> fixes = new ArrayList<>();
		for (String intent : leftOut) {
			train.get(intent).stream().limit(this.options.fixPerIntent()).forEach(t -> fixes.add(new Item(t, intent, false)));
		}
		Collections.shuffle(fixes, random);

		line("# Gap grouping and automatic closing on CLINC150");
		line("");
		line("Model `%s`, %s. Knowledge base: %d intents x %d training utterances = %d pairs; %d intents left out.",
				this.options.model(), LocalDate.now(), known.size(), this.options.kbPerIntent(), kb.size(),
				leftOut.size());
		line("Asked: %d validation utterances + %d out-of-scope queries, in a shuffled order (seed %d).",
				data.get("val").size(), oos, this.options.seed());
		line("Fixes: %d training utterances of each left-out intent added as new pairs (%d pairs).",
				this.options.fixPerIntent(), fixes.size());
		line("");

		embedAll(kb, questions, fixes);
		UUID base = workspace(null);
		Map<UUID, String> pairIntents = insertPairs(base, kb);
		double modelThreshold = this.jdbc.sql("SELECT confidence_threshold FROM embedding_models WHERE id = :m")
			.param("m", this.options.model())
			.query(Double.class)
			.single();
		double modelGrouping = this.jdbc.sql("SELECT gap_grouping_threshold FROM embedding_models WHERE id = :m")
			.param("m", this.options.model())
			.query(Double.class)
			.single();
		List<Asked> asked = ask(base, questions);
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

	record Pairwise(long truePositives, long predicted, long actual) {

		double precision() {
			return this.predicted == 0 ? 1 : (double) this.truePositives / this.predicted;
		}

		double recall() {
			return this.actual == 0 ? 1 : (double) this.truePositives / this.actual;
		}

		double f1() {
			return f(1);
		}

		/** F0.5: precision counts twice as much as recall (a wrongly merged gap hides a distinct question). */
		double fHalf() {
			return f(0.5);
		}

		private double f(double beta) {
			double p = precision();
			double r = recall();
			return (p + r) == 0 ? 0 : (1 + beta * beta) * p * r / (beta * beta * p + r);
		}

	}

	record Score(Linkage linkage, double threshold, int groups, int grouped, Pairwise tune, Pairwise report) {
	}

	private Score grouping(List<Asked> asked, double confidence, Linkage linkage, double threshold) {
		UUID workspace = workspace(null);
		Gaps gaps = gaps(GapProperties.defaults().withGrouping(threshold, linkage));
		List<Item> items = new ArrayList<>();
		List<UUID> gapOfItem = new ArrayList<>();
		for (Asked question : asked) {
			if (question.similarity() >= confidence) {
				continue;
			}
			Gaps.Recorded recorded = gaps.recordQuestion(questionAsked(workspace, question, confidence));
			items.add(question.item());
			gapOfItem.add(recorded.gapId());
		}
		Map<UUID, UUID> groupOfGap = groups(workspace);
		List<UUID> groupOfItem = gapOfItem.stream().map(groupOfGap::get).toList();
		Map<UUID, Integer> sizes = new HashMap<>();
		groupOfGap.values().forEach(g -> sizes.merge(g, 1, Integer::sum));
		int grouped = (int) groupOfGap.values().stream().filter(g -> sizes.get(g) > 1).count();
		return new Score(linkage, threshold, sizes.size(), grouped, pairwise(items, groupOfItem, true),
				pairwise(items, groupOfItem, false));
	}

	private static Pairwise pairwise(List<Item> items, List<UUID> groups, boolean tune) {
		long tp = 0;
		long predicted = 0;
		long actual = 0;
		for (int i = 0; i < items.size(); i++) {
			if (items.get(i).tune() != tune) {
				continue;
			}
			for (int j = i + 1; j < items.size(); j++) {
				if (items.get(j).tune() != tune) {
					continue;
				}
				boolean sameGroup = groups.get(i).equals(groups.get(j));
				boolean sameIntent = items.get(i).intent().equals(items.get(j).intent());
				predicted += sameGroup ? 1 : 0;
				actual += sameIntent ? 1 : 0;
				tp += (sameGroup && sameIntent) ? 1 : 0;
			}
		}
		return new Pairwise(tp, predicted, actual);
	}

	private Map<UUID, UUID> groups(UUID workspace) {
		Map<UUID, UUID> groups = new HashMap<>();
		this.jdbc.sql("SELECT id, coalesce(group_id, id) AS g FROM qa_gaps WHERE workspace_id = :ws")
			.param("ws", workspace)
			.query((rs, n) -> groups.put(rs.getObject("id", UUID.class), rs.getObject("g", UUID.class)))
			.list();
		return groups;
	}

	// ------------------------------------------------------------------ closing

	private void closing(List<Asked> asked, List<Item> kb, List<Item> fixes, List<String> leftOut, double confidence,
			Score grouping) {
		UUID workspace = workspace(confidence);
		insertPairs(workspace, kb);
		Gaps gaps = gaps(GapProperties.defaults().withGrouping(grouping.threshold(), grouping.linkage()));
		Map<UUID, String> intentOfGap = new HashMap<>();
		for (Asked question : asked) {
			if (question.similarity() >= confidence) {
				continue;
			}
			Gaps.Recorded recorded = gaps.recordQuestion(questionAsked(workspace, question, confidence));
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
			UUID pair = insertPairs(workspace, List.of(fix)).keySet().iterator().next();
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

	// ------------------------------------------------------------------ plumbing

	private Gaps gaps(GapProperties properties) {
		return new Gaps(this.transactions, new GapRepository(this.jdbc), new GapDecisions(new DecisionRepository(this.jdbc)),
				new GapEvents(this.jdbc, new OutboxWriter(this.jdbc, new EventCodec())), new GapEmbeddings(this.provider),
				properties, new SimpleMeterRegistry());
	}

	private dev.clara.shared.events.EventEnvelope<QuestionAsked> questionAsked(UUID workspace, Asked question,
			double threshold) {
		Instant now = Instant.now();
		return EventCodec.envelope(workspace, now,
				new QuestionAsked(UUID.randomUUID(), UUID.randomUUID(), question.item().text(), "I don't know.",
						question.bestMatch(), question.similarity(), threshold,
						question.similarity() < threshold, this.options.model(), now));
	}

	private List<Asked> ask(UUID workspace, List<Item> questions) {
		List<Asked> asked = new ArrayList<>();
		for (Item item : questions) {
			asked.add(this.jdbc.sql("""
					SELECT id, similarity FROM search_qa_pairs(:ws, CAST(:v AS extensions.vector), -1, 1, :model)
					""")
				.param("ws", workspace)
				.param("v", new PGvector(this.provider.embed(item.text())))
				.param("model", this.options.model())
				.query((rs, n) -> new Asked(item, rs.getObject("id", UUID.class), rs.getDouble("similarity")))
				.optional()
				.orElse(new Asked(item, null, 0)));
		}
		return asked;
	}

	private UUID workspace(Double confidenceThreshold) {
		UUID owner = UUID.randomUUID();
		this.jdbc.sql("INSERT INTO auth.users (id, email) VALUES (:id, :email)")
			.param("id", owner)
			.param("email", owner + "@clinc150.test")
			.update();
		UUID workspace = this.jdbc.sql("SELECT id FROM workspaces WHERE owner_id = :owner")
			.param("owner", owner)
			.query(UUID.class)
			.single();
		this.jdbc.sql("""
				UPDATE workspaces SET search_model = :model,
				       settings = jsonb_set(settings, '{confidence_threshold}', CAST(:threshold AS jsonb))
				WHERE id = :ws
				""")
			.param("model", this.options.model())
			.param("threshold", confidenceThreshold == null ? "null" : confidenceThreshold.toString())
			.param("ws", workspace)
			.update();
		return workspace;
	}

	/** Inserts pairs with their vectors, as the embedding worker leaves them; returns id -> intent. */
	private Map<UUID, String> insertPairs(UUID workspace, List<Item> items) {
		Map<UUID, String> ids = new LinkedHashMap<>();
		for (Item item : items) {
			UUID id = this.jdbc.sql("""
					INSERT INTO qa_pairs (workspace_id, question, answer, category, embedding, embedding_model, embedded_at)
					VALUES (:ws, :q, :a, 'clinc150', CAST(:v AS extensions.vector), :model, now()) RETURNING id
					""")
				.param("ws", workspace)
				.param("q", item.text())
				.param("a", "Answer about " + item.intent())
				.param("v", new PGvector(this.provider.embed(item.text())))
				.param("model", this.options.model())
				.query(UUID.class)
				.single();
			ids.put(id, item.intent());
		}
		return ids;
	}

	private void embedAll(List<Item> kb, List<Item> questions, List<Item> fixes) {
		List<String> texts = new ArrayList<>(new LinkedHashSet<>(
				java.util.stream.Stream.of(kb, questions, fixes).flatMap(List::stream).map(Item::text).toList()));
		long started = System.nanoTime();
		for (int from = 0; from < texts.size(); from += 256) {
			this.provider.embedAll(texts.subList(from, Math.min(texts.size(), from + 256)));
			System.out.printf("embedded %d/%d%n", Math.min(texts.size(), from + 256), texts.size());
		}
		System.out.printf("embedding took %d s%n", Duration.ofNanos(System.nanoTime() - started).toSeconds());
	}

	private static Set<String> intents(JsonNode rows) {
		Set<String> intents = new LinkedHashSet<>();
		rows.forEach(row -> intents.add(row.get(1).stringValue()));
		return intents;
	}

	private static Map<String, List<String>> byIntent(JsonNode rows) {
		Map<String, List<String>> byIntent = new java.util.TreeMap<>();
		rows.forEach(row -> byIntent.computeIfAbsent(row.get(1).stringValue(), k -> new ArrayList<>())
			.add(row.get(0).stringValue()));
		return byIntent;
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
