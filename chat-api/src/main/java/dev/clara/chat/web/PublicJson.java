package dev.clara.chat.web;

import java.util.List;
import java.util.UUID;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reading the JSON bodies of the public endpoints (a chat turn, a rating) field by field, so a bad
 * request gets a 400 that names every wrong field. Values are never repeated in a message.
 */
public final class PublicJson {

	private PublicJson() {
	}

	/** The body as a JSON tree; 400 when it is empty or not JSON. */
	public static JsonNode parse(JsonMapper json, String body) {
		if (body == null || body.isBlank()) {
			throw ApiProblem.invalid(List.of("the request body is empty"));
		}
		try {
			return json.readTree(body);
		}
		catch (JacksonException ex) {
			throw ApiProblem.invalid(List.of("the request body is not valid JSON"));
		}
	}

	/** A required UUID in canonical form, or null with the reason added to {@code errors}. */
	public static UUID uuid(JsonNode body, String field, List<String> errors) {
		String value = text(body, field, true, errors);
		if (value == null) {
			return null;
		}
		try {
			UUID uuid = UUID.fromString(value);
			if (!uuid.toString().equalsIgnoreCase(value)) {
				throw new IllegalArgumentException();
			}
			return uuid;
		}
		catch (IllegalArgumentException ex) {
			errors.add(field + " must be a UUID");
			return null;
		}
	}

	/** A string field, or null (absent, null, or not a string: then the reason is added to {@code errors}). */
	public static String text(JsonNode body, String field, boolean required, List<String> errors) {
		JsonNode node = body.get(field);
		if (node == null || node.isNull()) {
			if (required) {
				errors.add(field + " is required");
			}
			return null;
		}
		if (!node.isString()) {
			errors.add(field + " must be a string");
			return null;
		}
		return node.asString();
	}

}
