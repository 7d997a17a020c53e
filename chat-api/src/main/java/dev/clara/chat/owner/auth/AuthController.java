package dev.clara.chat.owner.auth;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.web.JsonBody;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** Standalone sign-up, sign-in, refresh and sign-out; and who the bearer of a token is. */
@RestController
@RequestMapping("/api/owner")
class AuthController {

	private static final Set<String> CREDENTIALS = Set.of("email", "password");

	private static final Set<String> REFRESH = Set.of("refresh_token");

	private final AuthService auth;

	private final JsonMapper json;

	AuthController(AuthService auth, JsonMapper json) {
		this.auth = auth;
		this.json = json;
	}

	@PostMapping("/auth/signup")
	ResponseEntity<AuthService.Session> signUp(@RequestBody(required = false) String body) {
		JsonBody request = JsonBody.parse(this.json, body, CREDENTIALS);
		String email = email(request);
		String password = password(request, true);
		request.validate();
		return ResponseEntity.status(HttpStatus.CREATED).body(this.auth.signUp(email, password));
	}

	@PostMapping("/auth/signin")
	AuthService.Session signIn(@RequestBody(required = false) String body) {
		JsonBody request = JsonBody.parse(this.json, body, CREDENTIALS);
		String email = email(request);
		String password = password(request, false);
		request.validate();
		return this.auth.signIn(email, password);
	}

	@PostMapping("/auth/refresh")
	AuthService.Session refresh(@RequestBody(required = false) String body) {
		JsonBody request = JsonBody.parse(this.json, body, REFRESH);
		String token = request.secret("refresh_token", 1, 200);
		request.validate();
		return this.auth.refresh(token);
	}

	@PostMapping("/auth/signout")
	ResponseEntity<Void> signOut(@RequestBody(required = false) String body) {
		JsonBody request = JsonBody.parse(this.json, body, REFRESH);
		String token = request.secret("refresh_token", 1, 200);
		request.validate();
		this.auth.signOut(token);
		return ResponseEntity.noContent().build();
	}

	/** Who the token belongs to. */
	@GetMapping("/me")
	Me me(OwnerPrincipal owner) {
		return new Me(owner.userId(), owner.email(), owner.viaAccessToken() ? "access_token" : "jwt");
	}

	record Me(java.util.UUID id, String email, String authenticatedWith) {
	}

	private static String email(JsonBody request) {
		String email = request.text("email", true, 254);
		if (email != null && !AuthService.EMAIL.matcher(email).matches()) {
			request.error("email", "must be an e-mail address");
			return null;
		}
		return email;
	}

	private static String password(JsonBody request, boolean newPassword) {
		String password = request.secret("password", newPassword ? 8 : 1, 200);
		if (password != null && password.getBytes(StandardCharsets.UTF_8).length > 72) {
			request.error("password", "must be at most 72 bytes (BCrypt's limit)");
			return null;
		}
		return password;
	}

}
