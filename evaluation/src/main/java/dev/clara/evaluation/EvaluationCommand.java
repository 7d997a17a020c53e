package dev.clara.evaluation;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import dev.clara.evaluation.KnowledgeBase.Size;
import dev.clara.evaluation.Metrics.Point;
import dev.clara.evaluation.ValidationSplit.Half;
import dev.clara.evaluation.ValidationSplit.Question;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The evaluation's steps, run by {@code ./clara eval} (which starts the chat-api and embedding
 * worker instances they talk to):
 * <ul>
 * <li>{@code prepare}: one owner and workspace per knowledge base, the pairs imported through the
 * owner API's CSV import (or SQL when the chat-api has no owner API), then waits for the
 * embedding worker;</li>
 * <li>{@code ask}: every validation question through {@code POST /api/chat}; the answers, mapped
 * back to intents through the database, are kept in the state folder;</li>
 * <li>{@code report}: the figures of every run kept, as Markdown and JSON.</li>
 * </ul>
 * Options are {@code --name value}; {@code --kb} may repeat.
 */
public final class EvaluationCommand {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Map<String, List<String>> options;

	private EvaluationCommand(Map<String, List<String>> options) {
		this.options = options;
	}

	public static void main(String[] args) throws Exception {
		if (args.length == 0) {
			System.err.println("usage: evaluation.jar [documents] prepare|ask|report --option value ... (see evaluation/README.md)");
			System.exit(2);
		}
		if (args[0].equals("documents")) {
			dev.clara.evaluation.documents.DocumentsCommand.main(java.util.Arrays.copyOfRange(args, 1, args.length));
			return;
		}
		Map<String, List<String>> options = new HashMap<>();
		for (int i = 1; i < args.length; i++) {
			if (!args[i].startsWith("--") || i + 1 >= args.length) {
				throw new IllegalArgumentException("expected --name value, got " + args[i]);
			}
			options.computeIfAbsent(args[i].substring(2), k -> new ArrayList<>()).add(args[++i]);
		}
		EvaluationCommand command = new EvaluationCommand(options);
		switch (args[0]) {
			case "prepare" -> command.prepare();
			case "ask" -> command.ask();
			case "report" -> command.report();
			default -> throw new IllegalArgumentException("unknown step " + args[0]);
		}
	}

	private void prepare() throws Exception {
		Clinc150 clinc = Clinc150.load(Path.of(one("data")));
		String model = one("model");
		String chatApi = one("chat-api");
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		ObjectNode state = JSON.createObjectNode();
		state.put("model", model);
		ObjectNode workspaces = state.putObject("workspaces");
		List<UUID> ids = new ArrayList<>();
		try (Connection db = connect()) {
			String mode = one("import", "auto");
			boolean ownerApi = switch (mode) {
				case "owner-api" -> true;
				case "sql" -> false;
				default -> OwnerApiImport.available(http, chatApi);
			};
			KnowledgeImport importer = ownerApi ? new OwnerApiImport(http, chatApi) : new SqlImport(db);
			if (!ownerApi) {
				System.out.println("  NOTE: " + chatApi + " has no owner API (/api/owner/**): importing with SQL instead of the CSV import");
			}
			for (String kb : all("kb")) {
				List<KnowledgeBase.Pair> pairs = KnowledgeBase.of(clinc, Size.of(kb));
				long started = System.nanoTime();
				KnowledgeImport.Imported imported = importer.run(kb, pairs);
				System.out.printf("  %s knowledge base: %d pairs into workspace %s via %s in %.1f s (%s)%n", kb, pairs.size(),
						imported.workspace(), imported.path(), (System.nanoTime() - started) / 1e9, imported.report());
				workspaces.putObject(kb)
					.put("id", imported.workspace().toString())
					.put("pairs", count(db, imported.workspace()))
					.put("import", imported.path())
					.put("import_report", imported.report());
				ids.add(imported.workspace());
			}
			EmbeddingWait.await(db, http, one("worker"), model, ids, Duration.ofMinutes(30));
			// the product answers with each workspace's answer model once it is trained: wait for it
			AnswerModelWait.await(db, ids, Duration.ofMinutes(10));
		}
		Path file = stateDir().resolve("workspaces-" + model + ".json");
		Files.createDirectories(file.getParent());
		Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state));
	}

	private void ask() throws Exception {
		Clinc150 clinc = Clinc150.load(Path.of(one("data")));
		String model = one("model");
		String strategy = one("strategy");
		String bestMatch = one("best-match");
		JsonNode state = JSON.readTree(Files.readString(stateDir().resolve("workspaces-" + model + ".json")));
		List<Question> questions = ValidationSplit.of(clinc);
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		ChatAsker asker = new ChatAsker(http, one("chat-api"));
		int concurrency = Integer.parseInt(one("concurrency", "4"));
		try (Connection db = connect()) {
			double deployedThreshold = deployedThreshold(db, model);
			for (String kb : all("kb")) {
				UUID workspace = UUID.fromString(state.get("workspaces").get(kb).get("id").asString());
				String label = model + " / " + strategy + " / " + bestMatch + " / " + kb;
				String askedAt = OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
				long started = System.nanoTime();
				List<ChatAsker.Reply> replies = asker.ask(workspace, questions, concurrency, label);
				double perSecond = questions.size() / ((System.nanoTime() - started) / 1e9);
				Map<UUID, String> intentOf = intents(db, workspace);
				List<Metrics.Answer> answers = new ArrayList<>(replies.size());
				for (ChatAsker.Reply reply : replies) {
					List<String> matched = reply.matchedQaIds().stream().map(id -> intentOf.getOrDefault(id, "?")).toList();
					answers.add(new Metrics.Answer(reply.question().text(), reply.question().gold(), reply.question().half(),
							matched.isEmpty() ? null : matched.get(0), matched, reply.confidence(), reply.gapDetected()));
				}
				JsonNode kbState = state.get("workspaces").get(kb);
				Run run = new Run(model, strategy, bestMatch, kb, workspace.toString(), kbState.get("pairs").asLong(),
						kbState.get("import").asString(), deployedThreshold, askedAt, perSecond, answers);
				Path file = stateDir().resolve("answers").resolve(String.join("__", model, strategy, bestMatch, kb) + ".json");
				Files.createDirectories(file.getParent());
				Files.writeString(file, JSON.writeValueAsString(toJson(run)));
				Point tune = Metrics.asAnswered(answers, Half.TUNE);
				Point report = Metrics.asAnswered(answers, Half.REPORT);
				System.out.printf(Locale.ROOT,
						"  %s: accuracy without threshold %.1f %%; at the deployed threshold %.2f: in-scope accuracy %.1f %% / out-of-scope recall %.1f %% (tune half), %.1f / %.1f (report half)%n",
						label, 100 * Metrics.accuracyWithoutThreshold(answers, Half.TUNE), deployedThreshold,
						100 * tune.inScopeAccuracy(), 100 * tune.outOfScopeRecall(), 100 * report.inScopeAccuracy(),
						100 * report.outOfScopeRecall());
			}
		}
	}

	private void report() throws Exception {
		List<String> kbs = all("kb");
		List<Run> runs = new ArrayList<>();
		try (Stream<Path> files = Files.list(stateDir().resolve("answers"))) {
			for (Path file : files.sorted().toList()) {
				Run run = fromJson(JSON.readTree(Files.readString(file)));
				if (kbs.contains(run.knowledgeBase())) {
					runs.add(run);
				}
			}
		}
		String date = OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
		Report report = new Report(runs, one("command", "./clara eval"), date);
		Path out = Path.of(one("out"));
		Files.createDirectories(out);
		String name = "clinc150-" + String.join("-", report.knowledgeBases);
		String markdown = report.markdown();
		Files.writeString(out.resolve(name + ".md"), markdown);
		Files.writeString(out.resolve(name + ".json"), report.json() + "\n");
		System.out.println();
		System.out.println(markdown);
		System.out.println("written: " + out.resolve(name + ".md") + " and " + out.resolve(name + ".json"));
	}

	private static ObjectNode toJson(Run run) {
		ObjectNode node = JSON.createObjectNode();
		node.put("model", run.model()).put("strategy", run.strategy()).put("best_match", run.bestMatch())
			.put("knowledge_base", run.knowledgeBase()).put("workspace", run.workspace()).put("pairs", run.pairs())
			.put("import", run.importPath()).put("deployed_threshold", Double.isNaN(run.deployedThreshold()) ? null : run.deployedThreshold())
			.put("asked_at", run.askedAt()).put("questions_per_second", run.questionsPerSecond());
		ArrayNode answers = node.putArray("answers");
		for (Metrics.Answer a : run.answers()) {
			ObjectNode o = answers.addObject();
			o.put("text", a.text()).put("gold", a.gold()).put("half", a.half().label()).put("predicted", a.predicted())
				.put("confidence", a.confidence()).put("gap_detected", a.gapDetected());
			ArrayNode matched = o.putArray("matched");
			a.matched().forEach(matched::add);
		}
		return node;
	}

	private static Run fromJson(JsonNode node) {
		List<Metrics.Answer> answers = new ArrayList<>();
		node.get("answers").forEach(o -> {
			List<String> matched = new ArrayList<>();
			o.get("matched").forEach(m -> matched.add(m.asString()));
			answers.add(new Metrics.Answer(o.get("text").asString(), o.get("gold").asString(),
					Half.valueOf(o.get("half").asString().toUpperCase(Locale.ROOT)),
					o.get("predicted").isNull() ? null : o.get("predicted").asString(), List.copyOf(matched),
					o.get("confidence").asDouble(), o.get("gap_detected").asBoolean()));
		});
		return new Run(node.get("model").asString(), node.get("strategy").asString(), node.get("best_match").asString(),
				node.get("knowledge_base").asString(), node.get("workspace").asString(), node.get("pairs").asLong(),
				node.get("import").asString(), node.path("deployed_threshold").isNumber() ? node.get("deployed_threshold").asDouble() : Double.NaN, node.get("asked_at").asString(),
				node.get("questions_per_second").asDouble(), answers);
	}

	/** The intent of every pair of the workspace, from the answer text that names it. */
	private static Map<UUID, String> intents(Connection db, UUID workspace) throws Exception {
		Map<UUID, String> intents = new LinkedHashMap<>();
		try (PreparedStatement select = db.prepareStatement("SELECT id, answer FROM qa_pairs WHERE workspace_id = ?")) {
			select.setObject(1, workspace);
			try (ResultSet rows = select.executeQuery()) {
				while (rows.next()) {
					intents.put(rows.getObject(1, UUID.class), KnowledgeBase.intentOf(rows.getString(2)).orElse("?"));
				}
			}
		}
		return intents;
	}

	private static long count(Connection db, UUID workspace) throws Exception {
		try (PreparedStatement select = db.prepareStatement("SELECT count(*) FROM qa_pairs WHERE workspace_id = ? AND is_active")) {
			select.setObject(1, workspace);
			try (ResultSet rows = select.executeQuery()) {
				rows.next();
				return rows.getLong(1);
			}
		}
	}

	/** The model's cosine threshold, or NaN when it is calibrated (its thresholds then depend on the size). */
	private static double deployedThreshold(Connection db, String model) throws Exception {
		try (PreparedStatement select = db.prepareStatement("""
				SELECT CASE WHEN public.answer_calibrations_of(id) IS NULL THEN confidence_threshold END
				FROM embedding_models WHERE id = ?""")) {
			select.setString(1, model);
			try (ResultSet rows = select.executeQuery()) {
				if (!rows.next()) {
					throw new IllegalStateException("unknown embedding model " + model);
				}
				double threshold = rows.getDouble(1);
				return rows.wasNull() ? Double.NaN : threshold;
			}
		}
	}

	private Connection connect() throws Exception {
		return DriverManager.getConnection(one("jdbc"), one("db-user", "postgres"), one("db-password", ""));
	}

	private Path stateDir() {
		return Path.of(one("state"));
	}

	private String one(String name) {
		List<String> values = this.options.get(name);
		if (values == null || values.isEmpty()) {
			throw new IllegalArgumentException("--" + name + " is required");
		}
		return values.get(values.size() - 1);
	}

	private String one(String name, String fallback) {
		List<String> values = this.options.get(name);
		return values == null || values.isEmpty() ? fallback : values.get(values.size() - 1);
	}

	private List<String> all(String name) {
		List<String> values = this.options.get(name);
		if (values == null || values.isEmpty()) {
			throw new IllegalArgumentException("--" + name + " is required");
		}
		return List.copyOf(values);
	}

}
