package dev.clara.chat.web;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * The one rule for text that enters the service (JSON bodies, query parameters, paths, the
 * headers read as text, CSV rows); docs/security.md, "Text". Text is refused when it holds:
 * <ul>
 * <li>a control character other than tab, line feed and carriage return: C0 (U+0000–U+001F), DEL
 * (U+007F) and C1 (U+0080–U+009F). NUL cannot be stored by PostgreSQL at all; the others are
 * never typed by a person: they come from mis-decoded bytes (C1 is what Windows-1252 text read as
 * Latin-1 turns into) or are meant to steer a terminal or a log viewer (U+001B, U+009B start
 * escape sequences), and would reach the owner's screens and logs.</li>
 * <li>an unpaired surrogate (malformed UTF-16): it cannot be encoded as UTF-8, so the driver would
 * store a "?" instead, and the text read back would differ from the text sent.</li>
 * </ul>
 * Messages name the rule, never the offending text.
 */
public final class Texts {

	public static final String CONTROL = "must not contain control characters (tab, line feed and carriage return are allowed)";

	public static final String SURROGATE = "must be well-formed Unicode (it has an unpaired surrogate)";

	static final String NAME_CONTROL = "has a property name with a control character";

	static final String NAME_SURROGATE = "has a property name that is not well-formed Unicode";

	/** Paths stop growing past this, so a deep document does not make long paths. */
	private static final int MAX_PATH_CHARS = 100;

	private Texts() {
	}

	/** Whether the rule refuses the character {@code c} (a surrogate is judged with its pair). */
	public static boolean isRefusedControl(char c) {
		return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7f && c <= 0x9f);
	}

	/** Null when {@code text} follows the rule, else why not ({@link #CONTROL} or {@link #SURROGATE}). */
	public static String flaw(CharSequence text) {
		int length = text.length();
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			if (isRefusedControl(c)) {
				return CONTROL;
			}
			if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				return SURROGATE;
			}
		}
		return null;
	}

	public static boolean follows(CharSequence text) {
		return flaw(text) == null;
	}

	/**
	 * {@code text} with every character the rule refuses replaced by {@code replacement}: only for
	 * showing back a label the service made itself (an import report, a file name), never for
	 * storing what a client sent.
	 */
	public static String scrub(String text, String replacement) {
		if (follows(text)) {
			return text;
		}
		StringBuilder clean = new StringBuilder(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
				clean.append(c).append(text.charAt(++i));
			}
			else if (isRefusedControl(c) || Character.isSurrogate(c)) {
				clean.append(replacement);
			}
			else {
				clean.append(c);
			}
		}
		return clean.toString();
	}

	/**
	 * Every string and property name anywhere in {@code root} checked against the rule: path →
	 * message, empty when all follow it. A path is made of the property names in {@code known}
	 * ({@code visitor.name}, {@code suggested_messages[2]}); a name the caller does not know ends
	 * the path there ({@code body} at the top), since a client may put a secret where a name
	 * belongs. The walk is iterative (breadth first): the parser already bounds the nesting
	 * depth, and a deep document must not cost stack.
	 */
	public static Map<String, String> flaws(JsonNode root, Set<String> known) {
		Map<String, String> flaws = new LinkedHashMap<>();
		Deque<Visit> pending = new ArrayDeque<>();
		pending.add(new Visit(root, "", true));
		while (!pending.isEmpty()) {
			Visit visit = pending.poll();
			JsonNode node = visit.node();
			if (node.isString()) {
				String flaw = flaw(node.asString());
				if (flaw != null) {
					flaws.putIfAbsent(visit.where(), flaw);
				}
			}
			else if (node.isArray()) {
				for (int i = 0; i < node.size(); i++) {
					pending.add(new Visit(node.get(i), index(visit, i), visit.named()));
				}
			}
			else if (node.isObject()) {
				for (Map.Entry<String, JsonNode> property : node.properties()) {
					String name = property.getKey();
					String flaw = flaw(name);
					if (flaw != null) {
						flaws.putIfAbsent(visit.where(), CONTROL.equals(flaw) ? NAME_CONTROL : NAME_SURROGATE);
						continue;
					}
					boolean named = visit.named() && known.contains(name) && visit.path().length() <= MAX_PATH_CHARS;
					String path = named ? (visit.path().isEmpty() ? name : visit.path() + "." + name) : visit.path();
					pending.add(new Visit(property.getValue(), path, named));
				}
			}
		}
		return flaws;
	}

	/** An array entry's path: {@code suggested_messages[2]}; a bare or long path is not extended. */
	private static String index(Visit array, int i) {
		boolean extend = array.named() && !array.path().isEmpty() && array.path().length() <= MAX_PATH_CHARS;
		return extend ? array.path() + "[" + i + "]" : array.path();
	}

	/** A node to check, with the path that names it and whether every name on it is known. */
	private record Visit(JsonNode node, String path, boolean named) {

		String where() {
			return this.path.isEmpty() ? "body" : this.path;
		}

	}

}
