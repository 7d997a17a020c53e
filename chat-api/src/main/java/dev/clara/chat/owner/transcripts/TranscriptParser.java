package dev.clara.chat.owner.transcripts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a support transcript into exchanges: a customer's question (their turns in a row) and the
 * agent's reply (the agent's turns that follow). Two formats:
 * <ul>
 * <li>text with speaker labels at the start of a line ({@code Customer:}, {@code Agent:}, …, any
 * case, optionally after a time stamp and followed by a name: {@code [10:02] Agent Sam: …}); a
 * line without a label continues the turn before it;</li>
 * <li>a JSON export: an array of conversations, {@code {"conversations": [...]}}, one
 * conversation, or a bare array of messages; a conversation is {@code {"messages": [...]}}; a
 * message names its speaker in {@code role}, {@code author}, {@code sender}, {@code from} or
 * {@code speaker} (a string, or an object with {@code role} or {@code type}) and its words in
 * {@code text}, {@code content}, {@code body} or {@code message}.</li>
 * </ul>
 * Agent turns before the first question, and courtesies ("Thanks!", "Hi": under three words and
 * no question mark) with the reply to them, are left out. Pure logic: what is wrong is a
 * {@link Unreadable} whose message names the rule, never the text.
 */
final class TranscriptParser {

	static final Set<String> CUSTOMER = Set.of("customer", "user", "visitor", "client", "contact", "end user",
			"end-user", "end_user", "enduser", "caller", "guest");

	static final Set<String> AGENT = Set.of("agent", "support", "assistant", "rep", "representative", "operator",
			"admin", "staff", "advisor", "human_agent");

	private static final String LABELS = "customer|user|visitor|client|end[ _-]?user|caller|guest"
			+ "|agent|support|assistant|rep|representative|operator|admin|staff|advisor";

	// [time] / time - , then the label, then up to three name words or a (name), then the colon
	private static final Pattern LABEL = Pattern.compile("^\\s*(?:\\[[^\\]]{1,40}\\]\\s*)?"
			+ "(?:\\d{1,2}:\\d{2}(?::\\d{2})?\\s*(?:[ap]\\.?m\\.?)?\\s*[-–—]?\\s*)?"
			+ "(" + LABELS + ")(?:\\s+[\\p{L}\\p{N}.'-]{1,30}){0,3}\\s*(?:\\([^)]{0,40}\\))?\\s*:(.*)$",
			Pattern.CASE_INSENSITIVE);

	private static final List<String> ROLE_KEYS = List.of("role", "author", "sender", "from", "speaker");

	private static final List<String> TEXT_KEYS = List.of("text", "content", "body", "message");

	private TranscriptParser() {
	}

	/** A customer's question and the agent's answer, white space tidied. */
	record Exchange(String question, String answer) {
	}

	/** @param format {@code text} or {@code json} */
	record Parsed(String format, List<Exchange> exchanges) {
	}

	/** The transcript cannot be read; the message says why, in words the owner can act on. */
	static final class Unreadable extends RuntimeException {

		Unreadable(String message) {
			super(message, null, false, false);
		}

	}

	private enum Speaker {

		CUSTOMER, AGENT

	}

	private record Turn(Speaker speaker, String text) {
	}

	static Parsed parse(JsonMapper json, String transcript) {
		String text = transcript.strip();
		if (text.startsWith("[") || text.startsWith("{")) {
			JsonNode node = readJson(json, text);
			if (node != null) {
				return new Parsed("json", exchanges(conversations(node)));
			}
		}
		List<Turn> turns = labelledTurns(text);
		if (turns.isEmpty()) {
			throw new Unreadable("has no speaker labels: put each turn on a line starting with Customer: or Agent: "
					+ "(or User/Visitor/Client and Support/Assistant/Rep), or upload a JSON export of conversations");
		}
		return new Parsed("text", exchanges(List.of(turns)));
	}

	private static JsonNode readJson(JsonMapper json, String text) {
		try {
			return json.readTree(text);
		}
		catch (JacksonException ex) {
			return null; // "[10:02] Customer: …" is text that starts like JSON
		}
	}

	private static List<Turn> labelledTurns(String text) {
		List<Turn> turns = new ArrayList<>();
		Speaker speaker = null;
		StringBuilder words = new StringBuilder();
		for (String line : text.split("\\R")) {
			Matcher label = LABEL.matcher(line);
			if (label.matches()) {
				add(turns, speaker, words);
				speaker = CUSTOMER.contains(normal(label.group(1))) ? Speaker.CUSTOMER : Speaker.AGENT;
				words.setLength(0);
				words.append(label.group(2).strip());
			}
			else if (speaker != null && !line.isBlank()) {
				words.append('\n').append(line.strip());
			}
		}
		add(turns, speaker, words);
		return turns;
	}

	private static void add(List<Turn> turns, Speaker speaker, CharSequence words) {
		if (speaker != null && !words.toString().isBlank()) {
			turns.add(new Turn(speaker, words.toString().strip()));
		}
	}

	private static List<List<Turn>> conversations(JsonNode node) {
		if (node.isObject() && node.has("conversations") && node.get("conversations").isArray()) {
			return conversationList(node.get("conversations"));
		}
		if (node.isObject() && node.has("messages")) {
			return List.of(messages(node.get("messages")));
		}
		if (node.isArray() && !node.isEmpty() && node.get(0).isObject() && node.get(0).has("messages")) {
			return conversationList(node);
		}
		if (node.isArray() && !node.isEmpty() && node.get(0).isObject() && roleOf(node.get(0)) != null) {
			return List.of(messages(node));
		}
		throw new Unreadable("is JSON of an unknown shape: send an array of conversations (or {\"conversations\": [...]}), "
				+ "each {\"messages\": [{\"role\": \"customer\", \"text\": \"...\"}, ...]}, or one such conversation");
	}

	private static List<List<Turn>> conversationList(JsonNode array) {
		List<List<Turn>> conversations = new ArrayList<>();
		for (JsonNode conversation : array) {
			if (!conversation.isObject() || !conversation.has("messages")) {
				throw new Unreadable("has a conversation without a \"messages\" array");
			}
			conversations.add(messages(conversation.get("messages")));
		}
		return conversations;
	}

	private static List<Turn> messages(JsonNode messages) {
		if (!messages.isArray()) {
			throw new Unreadable("has \"messages\" that is not an array");
		}
		List<Turn> turns = new ArrayList<>();
		for (JsonNode message : messages) {
			String role = message.isObject() ? roleOf(message) : null;
			String text = message.isObject() ? textOf(message) : null;
			if (role == null || text == null) {
				throw new Unreadable("has a message without a speaker (role, author, sender, from or speaker) "
						+ "or without text (text, content, body or message)");
			}
			String speaker = normal(role);
			if (CUSTOMER.contains(speaker)) {
				turns.add(new Turn(Speaker.CUSTOMER, text.strip()));
			}
			else if (AGENT.contains(speaker)) {
				turns.add(new Turn(Speaker.AGENT, text.strip()));
			}
			// anyone else (system, note, bot event) says nothing a pair is made of
		}
		return turns;
	}

	private static String roleOf(JsonNode message) {
		for (String key : ROLE_KEYS) {
			JsonNode value = message.get(key);
			if (value != null && value.isString()) {
				return value.asString();
			}
			if (value != null && value.isObject()) {
				JsonNode inner = value.has("role") ? value.get("role") : value.get("type");
				if (inner != null && inner.isString()) {
					return inner.asString();
				}
			}
		}
		return null;
	}

	private static String textOf(JsonNode message) {
		for (String key : TEXT_KEYS) {
			JsonNode value = message.get(key);
			if (value != null && value.isString()) {
				return value.asString();
			}
		}
		return null;
	}

	private static List<Exchange> exchanges(List<List<Turn>> conversations) {
		List<Exchange> exchanges = new ArrayList<>();
		for (List<Turn> turns : conversations) {
			List<String> asked = new ArrayList<>();
			List<String> answered = new ArrayList<>();
			for (Turn turn : turns) {
				if (turn.text().isBlank()) {
					continue;
				}
				if (turn.speaker() == Speaker.CUSTOMER) {
					if (!answered.isEmpty()) {
						exchange(exchanges, asked, answered);
					}
					asked.add(turn.text());
				}
				else if (!asked.isEmpty()) {
					answered.add(turn.text());
				}
			}
			exchange(exchanges, asked, answered);
		}
		return exchanges;
	}

	private static void exchange(List<Exchange> exchanges, List<String> asked, List<String> answered) {
		String question = String.join(" ", asked).replaceAll("\\s+", " ").strip();
		String answer = String.join("\n", answered).replaceAll("[ \\t]+", " ").replaceAll(" ?\\n ?", "\n").strip();
		if (!question.isEmpty() && !answer.isEmpty() && !isCourtesy(question)) {
			exchanges.add(new Exchange(question, answer));
		}
		asked.clear();
		answered.clear();
	}

	/** "Thanks!", "Hi there", "ok": nothing to answer in the knowledge base. */
	static boolean isCourtesy(String question) {
		return !question.contains("?") && question.split("\\s+").length < 3;
	}

	private static String normal(String role) {
		return role.strip().toLowerCase(Locale.ROOT);
	}

}
