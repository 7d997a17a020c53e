package dev.clara.chat.identity;

/**
 * The headers that carry a signed-in user on the public endpoints without a body. Never query
 * parameters: URLs end up in access logs.
 */
public final class IdentityHeaders {

	public static final String USER = "X-Clara-User";

	public static final String HASH = "X-Clara-User-Hash";

	public static final String TOKEN = "X-Clara-User-Token";

	private IdentityHeaders() {
	}

}
