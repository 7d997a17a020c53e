package dev.clara.chat.identity;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.clara.chat.web.PublicJson;
import tools.jackson.databind.JsonNode;

/**
 * The signed-in user a host page says is chatting, as it arrived: nothing here is trusted until
 * {@link IdentityVerifier} has checked {@code hash} or {@code token} against the workspace's secrets.
 *
 * @param id the site's user id (with a token, optional: the token's {@code sub} names the user)
 * @param hash HMAC-SHA256(secret, id) in hex, or null
 * @param token an HS256 JWT signed with the secret, or null
 * @param traitsJson a flat JSON object of short values (plan, company…), or null
 */
public record UserClaim(String id, String hash, String token, String name, String email, String traitsJson) {

	public static final int MAX_ID_CHARS = 200;

	static final int MAX_FIELD_CHARS = 200;

	static final int MAX_TOKEN_CHARS = 4096;

	static final int MAX_TRAITS = 20;

	static final int MAX_TRAIT_VALUE_CHARS = 200;

	private static final Pattern TRAIT_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,40}");

	private static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{64}");

	/** The body's {@code user} object, field by field; errors are added to {@code errors}. */
	public static UserClaim parse(JsonNode user, List<String> errors) {
		if (user == null || user.isNull()) {
			return null;
		}
		if (!user.isObject()) {
			errors.add("user must be an object");
			return null;
		}
		String id = bounded(PublicJson.text(user, "id", false, errors), "user.id", MAX_ID_CHARS, errors);
		String hash = PublicJson.text(user, "hash", false, errors);
		String token = bounded(PublicJson.text(user, "token", false, errors), "user.token", MAX_TOKEN_CHARS, errors);
		String name = bounded(PublicJson.text(user, "name", false, errors), "user.name", MAX_FIELD_CHARS, errors);
		String email = bounded(PublicJson.text(user, "email", false, errors), "user.email", MAX_FIELD_CHARS, errors);
		if (hash != null && !HASH.matcher(hash).matches()) {
			errors.add("user.hash must be 64 hexadecimal characters (HMAC-SHA256 of user.id)");
			hash = null;
		}
		if (token == null && (id == null || hash == null)) {
			errors.add("user needs id and hash, or token");
		}
		String traits = traits(user.get("traits"), "user.traits", errors);
		return new UserClaim(id, hash, token, name, email, traits);
	}

	/** The identity headers of the public endpoints that take no body; null when none is sent. */
	public static UserClaim fromHeaders(String id, String hash, String token, List<String> errors) {
		if (id == null && hash == null && token == null) {
			return null;
		}
		id = bounded(id, IdentityHeaders.USER, MAX_ID_CHARS, errors);
		token = bounded(token, IdentityHeaders.TOKEN, MAX_TOKEN_CHARS, errors);
		if (hash != null && !HASH.matcher(hash).matches()) {
			errors.add(IdentityHeaders.HASH + " must be 64 hexadecimal characters");
			hash = null;
		}
		if (token == null && (id == null || hash == null)) {
			errors.add("send " + IdentityHeaders.USER + " with " + IdentityHeaders.HASH + ", or " + IdentityHeaders.TOKEN);
		}
		return new UserClaim(id, hash, token, null, null, null);
	}

	/** A flat object of at most {@value #MAX_TRAITS} short strings, numbers or booleans, as JSON text. */
	static String traits(JsonNode traits, String field, List<String> errors) {
		if (traits == null || traits.isNull()) {
			return null;
		}
		if (!traits.isObject() || traits.size() > MAX_TRAITS) {
			errors.add(field + " must be an object of at most " + MAX_TRAITS + " entries");
			return null;
		}
		for (Map.Entry<String, JsonNode> trait : traits.properties()) {
			JsonNode value = trait.getValue();
			boolean shortValue = value.isNumber() || value.isBoolean()
					|| (value.isString() && value.asString().length() <= MAX_TRAIT_VALUE_CHARS);
			if (!TRAIT_NAME.matcher(trait.getKey()).matches() || !shortValue) {
				errors.add(field + " entries must be named with letters, digits, _ . - (at most 40) and hold a string of at most "
						+ MAX_TRAIT_VALUE_CHARS + " characters, a number or a boolean");
				return null;
			}
		}
		return traits.toString();
	}

	private static String bounded(String value, String field, int max, List<String> errors) {
		if (value == null || value.isBlank()) {
			return null;
		}
		if (value.length() > max) {
			errors.add(field + " must be at most " + max + " characters");
			return null;
		}
		return value.strip();
	}

}
