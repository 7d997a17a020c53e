package dev.clara.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording's CPU samples ({@code jdk.ExecutionSample}), as JDK 17 has no
 * {@code jfr view}: of the samples taken in a chat turn (a stack through the chat controller), the
 * top frames by self time, the share of each kind of work (whose package the top frame is in), and
 * the turn's stages (the innermost frame of a stage's code in the stack). {@code ./clara bench chat}
 * records one with {@code CLARA_BENCH_JFR=file.jfr}; then
 * {@code java -cp bench/target/classes dev.clara.bench.JfrTopFrames file.jfr [top=25]}.
 */
public final class JfrTopFrames {

	/** Kinds of work by the package of the sampled (top) frame; the first that matches. */
	private static final Map<String, String> KINDS = new LinkedHashMap<>();

	static {
		KINDS.put("ai.onnxruntime", "embedding model (ONNX)");
		KINDS.put("ai.djl", "tokenizer (DJL)");
		KINDS.put("dev.clara.shared.embedding", "embedding (Clara)");
		KINDS.put("org.postgresql", "JDBC driver");
		KINDS.put("com.zaxxer.hikari", "connection pool");
		KINDS.put("org.springframework.jdbc", "Spring JDBC");
		KINDS.put("tools.jackson", "JSON (Jackson)");
		KINDS.put("com.fasterxml.jackson", "JSON (Jackson)");
		KINDS.put("org.apache.catalina", "Tomcat");
		KINDS.put("org.apache.coyote", "Tomcat");
		KINDS.put("org.apache.tomcat", "Tomcat");
		KINDS.put("io.micrometer", "metrics");
		KINDS.put("org.springframework", "Spring (web, other)");
		KINDS.put("dev.clara", "Clara (other)");
		KINDS.put("java.", "JDK");
		KINDS.put("jdk.", "JDK");
		KINDS.put("sun.", "JDK");
	}

	/** The turn's stages, as the stack shows them: the outermost match wins. */
	private static final Map<String, String> STAGES = new LinkedHashMap<>();

	static {
		STAGES.put("dev.clara.chat.turn.TurnRecorder", "write");
		STAGES.put("dev.clara.chat.search.QuestionEmbeddings", "embed");
		STAGES.put("dev.clara.chat.search.KnowledgeSearch", "search");
		STAGES.put("dev.clara.chat.answering.AnswerChooser", "choose");
		STAGES.put("dev.clara.chat.answer.AnswerComposer", "answer");
		STAGES.put("dev.clara.chat.turn.ConversationStore", "stored reply / history");
		STAGES.put("dev.clara.chat.ratelimit", "rate limit");
		STAGES.put("dev.clara.chat.workspace.WorkspaceRepository", "workspace settings");
		STAGES.put("dev.clara.chat.keys", "LLM key");
		STAGES.put("dev.clara.chat.identity", "identity / access");
		STAGES.put("dev.clara.chat.turn.ChatController", "controller (parse, rest)");
	}

	private JfrTopFrames() {
	}

	public static void main(String[] args) throws Exception {
		int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
		Map<String, Integer> self = new HashMap<>();
		Map<String, Integer> kinds = new HashMap<>();
		Map<String, Integer> stages = new HashMap<>();
		Map<String, Map<String, Integer>> stageFrames = new HashMap<>();
		int all = 0;
		int turn = 0;
		for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
			if (!"jdk.ExecutionSample".equals(event.getEventType().getName())) {
				continue;
			}
			all++;
			RecordedStackTrace stack = event.getStackTrace();
			if (stack == null || stack.getFrames().isEmpty() || !inTurn(stack.getFrames())) {
				continue;
			}
			turn++;
			List<RecordedFrame> frames = stack.getFrames();
			String topFrame = name(frames.get(0));
			self.merge(topFrame, 1, Integer::sum);
			kinds.merge(kindOf(topFrame), 1, Integer::sum);
			String stage = stageOf(frames);
			stages.merge(stage, 1, Integer::sum);
			stageFrames.computeIfAbsent(stage, any -> new HashMap<>()).merge(topFrame, 1, Integer::sum);
		}
		System.out.printf("%s: %d CPU samples, %d of them in a chat turn (a stack through ChatController)%n", args[0],
				all, turn);
		print("by stage (the innermost stage's code in the stack)", stages, turn, top);
		print("by kind of work (the package of the sampled frame)", kinds, turn, top);
		print("top frames by self samples", self, turn, top);
		int inTurn = turn;
		stages.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
			.forEach(stage -> print("top frames of " + stage.getKey() + " (% of all turn samples)",
					stageFrames.get(stage.getKey()), inTurn, 6));
	}

	private static boolean inTurn(List<RecordedFrame> frames) {
		return frames.stream().anyMatch(frame -> frame.getMethod().getType().getName().startsWith("dev.clara.chat.turn.Chat"));
	}

	private static String name(RecordedFrame frame) {
		return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
	}

	private static String kindOf(String frame) {
		return KINDS.entrySet().stream().filter(kind -> frame.startsWith(kind.getKey())).map(Map.Entry::getValue)
			.findFirst().orElse("other");
	}

	private static String stageOf(List<RecordedFrame> frames) {
		// frames run from the sampled one outwards: the innermost stage's code is the sample's stage
		for (RecordedFrame frame : frames) {
			String type = frame.getMethod().getType().getName();
			for (Map.Entry<String, String> candidate : STAGES.entrySet()) {
				if (type.startsWith(candidate.getKey())) {
					return candidate.getValue();
				}
			}
		}
		return "other (filters, Tomcat, Spring MVC)";
	}

	private static void print(String title, Map<String, Integer> counts, int total, int top) {
		System.out.printf("%n%s:%n", title);
		counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
			.forEach(entry -> System.out.printf("  %5.1f%%  %6d  %s%n", 100.0 * entry.getValue() / Math.max(1, total),
					entry.getValue(), entry.getKey()));
	}

}
