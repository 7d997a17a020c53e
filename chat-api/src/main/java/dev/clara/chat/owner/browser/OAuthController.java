package dev.clara.chat.owner.browser;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import dev.clara.chat.config.ChatProperties;
import dev.clara.chat.owner.auth.AuthService;
import dev.clara.chat.web.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Outside sign-in of the dashboard: the list of buttons, the start (a redirect to the provider)
 * and the callback (cookies and a redirect to {@code /app/}, or {@code /app/?signin_error=…} with
 * {@code denied}, {@code failed} or {@code no_account}). Reasons are logged, never shown.
 */
@RestController
class OAuthController {

	private static final Logger log = LoggerFactory.getLogger(OAuthController.class);

	private final OAuthProviders providers;

	private final OAuthState states;

	private final OAuthAccounts accounts;

	private final AuthService auth;

	private final SessionCookies cookies;

	private final String publicBaseUrl;

	OAuthController(OAuthProviders providers, OAuthState states, OAuthAccounts accounts, AuthService auth,
			SessionCookies cookies, ChatProperties chat) {
		this.providers = providers;
		this.states = states;
		this.accounts = accounts;
		this.auth = auth;
		this.cookies = cookies;
		this.publicBaseUrl = chat.publicBaseUrl();
	}

	record Provider(String id, String name, String startUrl) {
	}

	record Providers(List<Provider> providers) {
	}

	@GetMapping("/app/api/oauth/providers")
	Providers list() {
		return new Providers(this.providers.all()
			.stream()
			.map(p -> new Provider(p.id(), p.name(), "/app/oauth/" + p.id() + "/start"))
			.toList());
	}

	@GetMapping("/app/oauth/{id}/start")
	ResponseEntity<Void> start(@PathVariable String id, HttpServletRequest request, HttpServletResponse response) {
		Optional<OAuthProvider> provider = this.providers.find(id);
		if (provider.isEmpty()) {
			return back("failed");
		}
		OAuthState.Started started = this.states.start(id);
		String location;
		try {
			location = provider.get()
				.authorizationUrl(redirectUri(id), started.state(), started.nonce(), started.challenge());
		}
		catch (OAuthProvider.OAuthFailure ex) {
			log.warn("OAuth sign-in with {} could not start: {}", id, ex.getMessage());
			return back("failed");
		}
		this.states.write(request, response, started);
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		return ResponseEntity.status(HttpStatus.FOUND).location(URI.create(location)).build();
	}

	@GetMapping("/app/oauth/{id}/callback")
	ResponseEntity<Void> callback(@PathVariable String id, @RequestParam(required = false) String code,
			@RequestParam(required = false) String state, @RequestParam(required = false) String error,
			HttpServletRequest request, HttpServletResponse response) {
		OAuthState.Started started = this.states.read(request);
		this.states.clear(request, response);
		Optional<OAuthProvider> provider = this.providers.find(id);
		if (provider.isEmpty() || started == null || !started.provider().equals(id)
				|| !OAuthState.sameState(started, state)) {
			log.info("OAuth callback of {} refused: unknown provider, or no, expired or other sign-in started here", id);
			return back("failed");
		}
		if (error != null) {
			return back("access_denied".equals(error) ? "denied" : "failed");
		}
		if (code == null || code.isBlank() || code.length() > 2048) {
			return back("failed");
		}
		try {
			OAuthProvider.ExternalIdentity identity = provider.get()
				.identity(code, started.verifier(), started.nonce(), redirectUri(id));
			IdentityRepository.Account account = this.accounts.accountFor(identity);
			AuthService.Session session = this.auth.signInVerified(account.id(), account.email());
			this.cookies.write(request, response, new SessionTokens(session.accessToken(), session.refreshToken()));
			return ResponseEntity.status(HttpStatus.FOUND).location(URI.create("/app/")).build();
		}
		catch (OAuthAccounts.NoAccount ex) {
			log.info("OAuth sign-in with {} found no account: {}", id, ex.getMessage());
			return back("no_account");
		}
		catch (OAuthProvider.OAuthFailure ex) {
			log.warn("OAuth sign-in with {} failed: {}", id, ex.getMessage());
			return back("failed");
		}
		catch (ApiProblem ex) {
			log.warn("OAuth sign-in with {} failed: {}", id, ex.getMessage());
			return back("failed");
		}
	}

	private String redirectUri(String id) {
		return this.publicBaseUrl + "/app/oauth/" + id + "/callback";
	}

	private static ResponseEntity<Void> back(String code) {
		return ResponseEntity.status(HttpStatus.FOUND)
			.header(HttpHeaders.CACHE_CONTROL, "no-store")
			.location(URI.create("/app/?signin_error=" + code))
			.build();
	}

}
