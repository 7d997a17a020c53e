package dev.clara.chat.owner.keys;

import dev.clara.chat.owner.auth.InvalidTokenException;
import dev.clara.chat.owner.auth.JwtVerifier;
import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.chat.web.ApiProblem;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The re-encrypt command as an endpoint for operators: {@code POST /api/admin/llm-keys/reencrypt}
 * with {@code Authorization: Bearer <service_role JWT>} (Supabase's service_role key, or any
 * HS256 token with {@code role: service_role} signed with the JWT secret).
 */
@RestController
class AdminKeyController {

	private final JwtVerifier jwts;

	private final LlmKeyRotation rotation;

	AdminKeyController(JwtVerifier jwts, LlmKeyRotation rotation) {
		this.jwts = jwts;
		this.rotation = rotation;
	}

	@PostMapping("/api/admin/llm-keys/reencrypt")
	LlmKeyRotation.Result reencrypt(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
		if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			throw new ApiProblem(HttpStatus.UNAUTHORIZED, "Unauthorized", "Send a service_role token");
		}
		if (!this.jwts.isConfigured()) {
			throw OwnerProblems.unavailable("No JWT secret or JWKS URL is configured");
		}
		try {
			this.jwts.verifyServiceRole(authorization.substring(7).strip());
		}
		catch (InvalidTokenException ex) {
			throw new ApiProblem(ex.isForbidden() ? HttpStatus.FORBIDDEN : HttpStatus.UNAUTHORIZED,
					ex.isForbidden() ? "Forbidden" : "Unauthorized", ex.getMessage());
		}
		try {
			return this.rotation.reencryptAll();
		}
		catch (IllegalStateException ex) {
			throw OwnerProblems.unavailable("LLM keys need the deployment's master keys (CLARA_MASTER_KEYS)");
		}
	}

}
