package dev.clara.chat.owner.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.clara.chat.web.ApiProblem;
import dev.clara.chat.web.Texts;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A JSON object request body read field by field. Every problem is collected (so one 400 names
 * all wrong fields) and no message repeats a value the client sent.
 */
public final class JsonBody {

	private final JsonNode node;

	private final Map<String, String> errors = new LinkedHashMap<>();

	private JsonBody(JsonNode node) {
		this.node = node;
	}

	/** Parses {@code body}; it must be a JSON object whose fields are all in {@code allowed}. */
	public static JsonBody parse(JsonMapper json, String body, Set<String> allowed) {
		JsonBody parsed = parseLenient(json, body);
		// the text rule (docs/security.md) for every string and property name in the body, nested
		// ones too, before any controller reads a field: a 400 naming the fields, whatever they are
		Map<String, String> flaws = Texts.flaws(parsed.node, allowed);
		if (!flaws.isEmpty()) {
			throw OwnerProblems.invalid(flaws);
		}
		for (String name : parsed.node.propertyNames()) {
			if (!allowed.contains(name)) {
				// the name is not repeated: a client may have put a secret where a name belongs
				parsed.errors.put("body", "has an unknown field; allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)));
				break;
			}
		}
		return parsed;
	}

	/** Parses {@code body} allowing an empty body (an empty object). */
	public static JsonBody parseOptional(JsonMapper json, String body, Set<String> allowed) {
		if (body == null || body.isBlank()) {
			return new JsonBody(json.createObjectNode());
		}
		return parse(json, body, allowed);
	}

	private static JsonBody parseLenient(JsonMapper json, String body) {
		if (body == null || body.isBlank()) {
			throw ApiProblem.invalid(java.util.List.of("the request body is empty"));
		}
		JsonNode node;
		try {
			node = json.readTree(body);
		}
		catch (JacksonException ex) {
			throw ApiProblem.invalid(java.util.List.of("the request body is not valid JSON"));
		}
		if (node == null || !node.isObject()) {
			throw ApiProblem.invalid(java.util.List.of("the request body must be a JSON object"));
		}
		return new JsonBody(node);
	}

	public JsonNode node() {
		return this.node;
	}

	public boolean has(String field) {
		return this.node.has(field);
	}

	public void error(String field, String message) {
		this.errors.putIfAbsent(field, message);
	}

	public boolean hasErrors() {
		return !this.errors.isEmpty();
	}

	/** A trimmed string of 1..max characters; null when absent and not required. */
	public String text(String field, boolean required, int max) {
		JsonNode value = this.node.get(field);
		if (value == null || value.isNull()) {
			if (required) {
				error(field, "is required");
			}
			return null;
		}
		if (!value.isString()) {
			error(field, "must be a string");
			return null;
		}
		String text = value.asString().strip();
		if (text.isEmpty()) {
			error(field, "must not be empty");
			return null;
		}
		if (text.length() > max) {
			error(field, "must be at most " + max + " characters");
			return null;
		}
		return text;
	}

	/** A string kept exactly as sent (no trimming), for secrets. */
	public String secret(String field, int min, int max) {
		JsonNode value = this.node.get(field);
		if (value == null || value.isNull()) {
			error(field, "is required");
			return null;
		}
		if (!value.isString()) {
			error(field, "must be a string");
			return null;
		}
		String text = value.asString();
		if (text.length() < min || text.length() > max) {
			error(field, "must be " + min + " to " + max + " characters");
			return null;
		}
		return text;
	}

	/**
	 * A UUID given as a string; null when absent or JSON null. A malformed one is a 400 naming the
	 * field: unlike a path id, a body field that is not an id at all is a mistake of the client.
	 */
	public java.util.UUID uuid(String field) {
		JsonNode value = this.node.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (value.isString() && value.asString().length() == 36) {
			try {
				return java.util.UUID.fromString(value.asString());
			}
			catch (IllegalArgumentException ex) {
				// falls through to the error
			}
		}
		error(field, "must be an id (a UUID string) or null");
		return null;
	}

	public Boolean bool(String field) {
		JsonNode value = this.node.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isBoolean()) {
			error(field, "must be true or false");
			return null;
		}
		return value.asBoolean();
	}

	/** Throws a 400 naming every wrong field, if any. */
	public JsonBody validate() {
		if (!this.errors.isEmpty()) {
			throw OwnerProblems.invalid(this.errors);
		}
		return this;
	}

}
