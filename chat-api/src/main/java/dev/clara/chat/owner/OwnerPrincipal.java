package dev.clara.chat.owner;

import java.util.Map;
import java.util.UUID;

/**
 * The signed-in owner of one request: who ({@code sub}), and the claims that go into
 * {@code request.jwt.claims} so that row-level security decides what they see.
 *
 * @param userId the {@code auth.users} id ({@code sub})
 * @param email the e-mail claim, if any
 * @param claims the verified token's claims (for an access token: claims Clara made for its owner)
 * @param accessTokenId the {@code access_tokens} row when the request came with a product API key
 */
public record OwnerPrincipal(UUID userId, String email, Map<String, Object> claims, UUID accessTokenId) {

	public boolean viaAccessToken() {
		return this.accessTokenId != null;
	}

	/** No claims in logs. */
	@Override
	public String toString() {
		return "OwnerPrincipal[" + this.userId + (viaAccessToken() ? ", access token " + this.accessTokenId : "") + "]";
	}

}
