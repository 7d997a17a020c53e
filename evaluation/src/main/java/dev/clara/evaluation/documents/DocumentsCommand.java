package dev.clara.evaluation.documents;

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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The documents benchmark's steps, run by {@code ./clara eval documents} (which starts the chat-api
 * and embedding worker they talk to, with the chunking and search strategy compared):
 * <ul>
 * <li>{@code prepare}: one owner, the SQuAD articles uploaded as Markdown documents through the
 * owner API, waiting until all are ready;</li>
 * <li>{@code ask}: every question through {@code POST /api/chat}; what the citations contain is
 * kept in the state folder ({@code documents/answers/});</li>
 * <li>{@code report}: the figures of every run kept, as Markdown.</li>
 * </ul>
 */
public final class DocumentsCommand {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Map<String, String> options;

	private DocumentsCommand(Map<String, String> options) {
		this.options = options;
	}

	/** {@code prepare|ask|report --name value ...}. */
	public static void main(String[] args) throws Exception {
		Map<String, String> options = new HashMap<>();
		for (int i = 1; i < args.length; i++) {
			if (!args[i].startsWith("--") || i + 1 >= args.length) {
				throw new IllegalArgumentException("expected --name value, got " + args[i]);
			}
			options.put(args[i].substring(2), args[++i]);
		}
		DocumentsCommand command = new DocumentsCommand(options);
		switch (args.length == 0 ? "" : args[0]) {
			case "prepare" -> command.prepare();
			case "ask" -> command.ask();
			case "report" -> command.report();
			default -> throw new IllegalArgumentException("usage: evaluation.jar documents prepare|ask|report --option value ...");
		}
	}

	private void prepare() throws Exception {
		List<Squad.Article> articles = Squad.load(Path.of(one("data")));
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		DocumentUpload.Uploaded uploaded = new DocumentUpload(http, one("chat-api")).run(articles, one("worker"),
				Duration.ofMinutes(30));
		System.out.printf(Locale.ROOT, "  %d articles uploaded and ready in %.1f s: %d chunks, workspace %s%n",
				articles.size(), uploaded.seconds(), uploaded.chunks(), uploaded.workspace());
		ObjectNode state = JSON.createObjectNode()
			.put("workspace", uploaded.workspace().toString())
			.put("chunks", uploaded.chunks())
			.put("ingest_seconds", uploaded.seconds());
		Files.createDirectories(stateDir());
		Files.writeString(stateDir().resolve("workspace.json"), JSON.writeValueAsString(state));
	}

	private void ask() throws Exception {
		List<Squad.Article> articles = Squad.load(Path.of(one("data")));
		Map<String, ArticleSplit.Part> parts = ArticleSplit.of(articles);
		List<Squad.Question> questions = articles.stream().flatMap(a -> a.questions().stream()).toList();
		JsonNode state = JSON.readTree(Files.readString(stateDir().resolve("workspace.json")));
		UUID workspace = UUID.fromString(state.get("workspace").asString());
		String model = one("model");
		String mode = one("mode");
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		String askedAt = OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
		String label = String.join(" / ", model, one("chunking"), one("strategy"), mode);
		List<DocumentAsker.Reply> replies;
		double deployed;
		long started;
		try (Connection db = connect()) {
			deployed = passageThreshold(db, model);
			if (DocumentRun.SWEEP.equals(mode)) {
				// the evaluation's own database: every question gets its passages, the figures at any
				// threshold follow from the confidences; the migrated value is put back afterwards
				setPassageThreshold(db, model, 0);
			}
			else if (!DocumentRun.DEPLOYED.equals(mode)) {
				throw new IllegalArgumentException("--mode sweep or deployed");
			}
			try {
				started = System.nanoTime();
				replies = new DocumentAsker(http, one("chat-api")).ask(workspace, questions,
						Integer.parseInt(one("concurrency", "4")), label);
			}
			finally {
				setPassageThreshold(db, model, deployed);
			}
			double perSecond = questions.size() / ((System.nanoTime() - started) / 1e9);
			Map<UUID, String> chunks = chunkContents(db, workspace);
			List<DocumentAnswer> answers = new ArrayList<>();
			for (DocumentAsker.Reply reply : replies) {
				Squad.Question q = reply.question();
				int rank = 0;
				for (int i = 0; i < reply.citations().size() && rank == 0; i++) {
					if (AnswerMatch.contains(chunks.get(reply.citations().get(i).chunkId()), q.answers())) {
						rank = i + 1;
					}
				}
				boolean shown = !reply.citations().isEmpty()
						&& AnswerMatch.contains(reply.citations().get(0).passage(), q.answers());
				answers.add(new DocumentAnswer(q.id(), q.article(), parts.get(q.article()), q.answerable(),
						reply.gapDetected(), reply.confidence(), reply.citations().size(), shown, rank));
			}
			DocumentRun run = new DocumentRun(model, one("chunking"), one("strategy"), mode, deployed,
					state.get("chunks").asLong(), state.get("ingest_seconds").asDouble(), askedAt, perSecond, answers);
			Path file = answersDir().resolve(run.fileName());
			Files.createDirectories(file.getParent());
			Files.writeString(file, JSON.writeValueAsString(toJson(run)));
			for (ArticleSplit.Part part : ArticleSplit.Part.values()) {
				DocumentMetrics.Point p = DocumentMetrics.at(answers, part, mode.equals(DocumentRun.SWEEP) ? 0 : deployed);
				System.out.printf(Locale.ROOT,
						"  %s, %s articles: shown@1 %.3f, recall@1 %.3f, recall@5 %.3f, answerable flagged %.3f, unanswerable flagged %.3f%n",
						label, part.label(), p.shownAt1(), p.recallAt1(), p.recallAt5(), p.answerableFlagged(),
						p.unanswerableFlagged());
			}
		}
	}

	private void report() throws Exception {
		List<DocumentRun> runs = new ArrayList<>();
		try (Stream<Path> files = Files.list(answersDir())) {
			for (Path file : files.sorted().toList()) {
				runs.add(fromJson(JSON.readTree(Files.readString(file))));
			}
		}
		String date = OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
		String markdown = new DocumentReport(runs, one("command", "./clara eval documents"), date).markdown();
		Path out = Path.of(one("out"));
		Files.createDirectories(out);
		Files.writeString(out.resolve("squad2-documents.md"), markdown);
		System.out.println();
		System.out.println(markdown);
		System.out.println("written: " + out.resolve("squad2-documents.md"));
	}

	private static ObjectNode toJson(DocumentRun run) {
		ObjectNode node = JSON.createObjectNode();
		node.put("model", run.model()).put("chunking", run.chunking()).put("strategy", run.strategy())
			.put("mode", run.mode()).put("deployed_threshold", run.deployedThreshold()).put("chunks", run.chunks())
			.put("ingest_seconds", run.ingestSeconds()).put("asked_at", run.askedAt())
			.put("questions_per_second", run.questionsPerSecond());
		ArrayNode answers = node.putArray("answers");
		for (DocumentAnswer a : run.answers()) {
			answers.addObject().put("id", a.id()).put("article", a.article()).put("part", a.part().label())
				.put("answerable", a.answerable()).put("gap_detected", a.gapDetected()).put("confidence", a.confidence())
				.put("citations", a.citations()).put("shown_hit", a.shownHit()).put("hit_rank", a.hitRank());
		}
		return node;
	}

	private static DocumentRun fromJson(JsonNode node) {
		List<DocumentAnswer> answers = new ArrayList<>();
		node.get("answers").forEach(a -> answers.add(new DocumentAnswer(a.get("id").asString(), a.get("article").asString(),
				ArticleSplit.Part.valueOf(a.get("part").asString().toUpperCase(Locale.ROOT)), a.get("answerable").asBoolean(),
				a.get("gap_detected").asBoolean(), a.get("confidence").asDouble(), a.get("citations").asInt(),
				a.get("shown_hit").asBoolean(), a.get("hit_rank").asInt())));
		return new DocumentRun(node.get("model").asString(), node.get("chunking").asString(), node.get("strategy").asString(),
				node.get("mode").asString(), node.get("deployed_threshold").asDouble(), node.get("chunks").asLong(),
				node.get("ingest_seconds").asDouble(), node.get("asked_at").asString(),
				node.get("questions_per_second").asDouble(), List.copyOf(answers));
	}

	/** The workspace's chunks (the citations name them; the first citation shows only a window of its chunk). */
	private static Map<UUID, String> chunkContents(Connection db, UUID workspace) throws Exception {
		Map<UUID, String> contents = new HashMap<>();
		try (PreparedStatement select = db.prepareStatement("SELECT id, content FROM document_chunks WHERE workspace_id = ?")) {
			select.setObject(1, workspace);
			try (ResultSet rows = select.executeQuery()) {
				while (rows.next()) {
					contents.put(rows.getObject(1, UUID.class), rows.getString(2));
				}
			}
		}
		return contents;
	}

	private static double passageThreshold(Connection db, String model) throws Exception {
		try (PreparedStatement select = db.prepareStatement("SELECT passage_threshold FROM embedding_models WHERE id = ?")) {
			select.setString(1, model);
			try (ResultSet rows = select.executeQuery()) {
				if (!rows.next()) {
					throw new IllegalStateException("unknown embedding model " + model);
				}
				return rows.getDouble(1);
			}
		}
	}

	private static void setPassageThreshold(Connection db, String model, double threshold) throws Exception {
		try (PreparedStatement update = db.prepareStatement("UPDATE embedding_models SET passage_threshold = ? WHERE id = ?")) {
			update.setDouble(1, threshold);
			update.setString(2, model);
			update.executeUpdate();
		}
	}

	private Connection connect() throws Exception {
		return DriverManager.getConnection(one("jdbc"), one("db-user", "postgres"), one("db-password", ""));
	}

	private Path stateDir() {
		return Path.of(one("state"));
	}

	private Path answersDir() {
		return stateDir().resolve("answers");
	}

	private String one(String name) {
		String value = this.options.get(name);
		if (value == null) {
			throw new IllegalArgumentException("--" + name + " is required");
		}
		return value;
	}

	private String one(String name, String fallback) {
		return this.options.getOrDefault(name, fallback);
	}

}
