package dev.clara.chat.owner.browser;

import java.util.Set;
import java.util.UUID;

import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.auth.InvalidTokenException;
import dev.clara.chat.owner.auth.JwtVerifier;
import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.chat.owner.web.JsonBody;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard's session: who is signed in (with the CSRF token the page sends back), sign-in
 * with e-mail and password (cookies, never tokens in the body), sign-out. Authentication of GET and
 * DELETE, the CSRF check and the refresh happen before, in {@link BrowserSessionFilter} and
 * {@code OwnerAuthFilter}.
 */
@RestController
@RequestMapping("/app/api/session")
class SessionController {

	private static final Logger log = LoggerFactory.getLogger(SessionController.class);

	private static final Set<String> CREDENTIALS = Set.of("email", "password");

	private final SessionBackend sessions;

	private final SessionCookies cookies;

	private final CsrfTokens csrf;

	private final JwtVerifier verifier;

	private final SessionWorkspaceRepository workspaces;

	private final JsonMapper json;

	SessionController(SessionBackend sessions, SessionCookies cookies, CsrfTokens csrf, JwtVerifier verifier,
			SessionWorkspaceRepository workspaces, JsonMapper json) {
		this.sessions = sessions;
		this.cookies = cookies;
		this.csrf = csrf;
		this.verifier = verifier;
		this.workspaces = workspaces;
		this.json = json;
	}

	record User(UUID id, String email) {
	}

	record SessionBody(User user, SessionWorkspaceRepository.Workspace workspace, String csrfToken, String mode) {
	}

	@GetMapping
	SessionBody current(OwnerPrincipal owner) {
		return body(owner);
	}

	/** 200 and the cookies; 401 wrong e-mail or password, 403 not confirmed, 429 throttled. */
	@PostMapping
	SessionBody signIn(@RequestBody(required = false) String body, HttpServletRequest request,
			HttpServletResponse response) {
		JsonBody credentials = JsonBody.parse(this.json, body, CREDENTIALS);
		String email = credentials.text("email", true, 254);
		String password = credentials.secret("password", 1, 200);
		credentials.validate();
		SessionTokens tokens = this.sessions.signIn(email, password, request);
		OwnerPrincipal owner;
		try {
			owner = this.verifier.verify(tokens.accessToken());
		}
		catch (InvalidTokenException ex) {
			// Supabase mode with a JWT secret or JWKS that is not the project's: a deployment error
			log.error("Dashboard sign-in: the new session's access token does not verify ({}): check CLARA_JWT_SECRET "
					+ "or CLARA_JWT_JWKS_URL", ex.getMessage());
			throw OwnerProblems.unavailable("Signing in is not possible right now");
		}
		this.cookies.write(request, response, tokens);
		return body(owner);
	}

	/** Revokes the session's refresh token and clears the cookies. */
	@DeleteMapping
	ResponseEntity<Void> signOut(OwnerPrincipal owner, HttpServletRequest request, HttpServletResponse response) {
		this.sessions.signOut(SessionCookies.currentRefresh(request), SessionCookies.currentAccess(request));
		this.cookies.clear(request, response);
		return ResponseEntity.noContent().build();
	}

	private SessionBody body(OwnerPrincipal owner) {
		return new SessionBody(new User(owner.userId(), owner.email()), this.workspaces.of(owner).orElse(null),
				this.csrf.tokenFor(owner.claims()), this.sessions.mode());
	}

}
