package dev.clara.chat.owner.auth;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.web.JsonBody;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** Standalone sign-in, refresh and sign-out; and who the bearer of a token is. */
@RestController
@RequestMapping("/api/owner")
class AuthController {

	static final Set<String> CREDENTIALS = Set.of("email", "password");

	private static final Set<String> REFRESH = Set.of("refresh_token");

	private final AuthService auth;

	private final JsonMapper json;

	AuthController(AuthService auth, JsonMapper json) {
		this.auth = auth;
		this.json = json;
	}

	@PostMapping("/auth/signin")
	AuthService.Session signIn(@RequestBody(required = false) String body, HttpServletRequest http) {
		JsonBody request = JsonBody.parse(this.json, body, CREDENTIALS);
		String email = email(request);
		String password = password(request, "password", false);
		request.validate();
		return this.auth.signIn(email, password, http);
	}

	@PostMapping("/auth/refresh")
	AuthService.Session refresh(@RequestBody(required = false) String body, HttpServletRequest http) {
		JsonBody request = JsonBody.parse(this.json, body, REFRESH);
		String token = request.secret("refresh_token", 1, 200);
		request.validate();
		return this.auth.refresh(token, http);
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

	static String email(JsonBody request) {
		String email = request.text("email", true, 254);
		if (email != null && !AuthService.EMAIL.matcher(email).matches()) {
			request.error("email", "must be an e-mail address");
			return null;
		}
		return email;
	}

	/** @param newPassword whether the password is being chosen (then at least 8 characters) */
	static String password(JsonBody request, String field, boolean newPassword) {
		String password = request.secret(field, newPassword ? 8 : 1, 200);
		if (password != null && password.getBytes(StandardCharsets.UTF_8).length > 72) {
			request.error(field, "must be at most 72 bytes (BCrypt's limit)");
			return null;
		}
		return password;
	}

}
