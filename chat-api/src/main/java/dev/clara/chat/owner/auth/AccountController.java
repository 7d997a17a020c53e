package dev.clara.chat.owner.auth;

import java.util.Map;
import java.util.Set;

import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.web.JsonBody;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** Standalone sign-up, e-mail confirmation, password reset and password change. */
@RestController
@RequestMapping("/api/owner/auth")
class AccountController {

	private static final Set<String> TOKEN = Set.of("token");

	private static final Set<String> EMAIL = Set.of("email");

	private static final Set<String> RESET = Set.of("token", "password");

	private static final Set<String> CHANGE = Set.of("current_password", "new_password");

	/** What a reset request answers, whether or not the address has an account. */
	static final Map<String, String> RECOVER_ACCEPTED = Map.of("message",
			"If this e-mail address has an account, a link to choose a new password is on its way");

	private final AccountService accounts;

	private final JsonMapper json;

	AccountController(AccountService accounts, JsonMapper json) {
		this.accounts = accounts;
		this.json = json;
	}

	/** 202 for a new address and a taken one alike; the answer never carries a session. */
	@PostMapping("/signup")
	ResponseEntity<AccountService.SignUpAccepted> signUp(@RequestBody(required = false) String body,
			HttpServletRequest http) {
		JsonBody request = JsonBody.parse(this.json, body, AuthController.CREDENTIALS);
		String email = AuthController.email(request);
		String password = AuthController.password(request, "password", true);
		request.validate();
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(this.accounts.signUp(email, password, http));
	}

	/** The link of the confirmation mail. (A mail scanner opening it confirms too: it proves the mailbox.) */
	@GetMapping("/confirm")
	Map<String, String> confirmLink(@RequestParam(name = "token", required = false) String token,
			HttpServletRequest http) {
		return confirmed(token == null || token.isBlank() || token.length() > 200 ? null : token, http);
	}

	@PostMapping("/confirm")
	Map<String, String> confirm(@RequestBody(required = false) String body, HttpServletRequest http) {
		JsonBody request = JsonBody.parse(this.json, body, TOKEN);
		String token = request.secret("token", 1, 200);
		request.validate();
		return confirmed(token, http);
	}

	private Map<String, String> confirmed(String token, HttpServletRequest http) {
		if (token == null) {
			throw new dev.clara.chat.web.ApiProblem(HttpStatus.BAD_REQUEST, "Invalid token",
					"The confirmation link has no token");
		}
		this.accounts.confirm(token, http);
		return Map.of("message", "E-mail address confirmed: you can sign in");
	}

	@PostMapping("/recover")
	ResponseEntity<Map<String, String>> recover(@RequestBody(required = false) String body, HttpServletRequest http) {
		JsonBody request = JsonBody.parse(this.json, body, EMAIL);
		String email = AuthController.email(request);
		request.validate();
		this.accounts.recover(email, http);
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(RECOVER_ACCEPTED);
	}

	@PostMapping("/reset")
	ResponseEntity<Void> reset(@RequestBody(required = false) String body, HttpServletRequest http) {
		JsonBody request = JsonBody.parse(this.json, body, RESET);
		String token = request.secret("token", 1, 200);
		String password = AuthController.password(request, "password", true);
		request.validate();
		this.accounts.reset(token, password, http);
		return ResponseEntity.noContent().build();
	}

	/** The signed-in owner's new password; every other session of the account is signed out. */
	@PostMapping("/password")
	ResponseEntity<Void> changePassword(OwnerPrincipal owner, @RequestBody(required = false) String body,
			HttpServletRequest http) {
		JsonBody request = JsonBody.parse(this.json, body, CHANGE);
		String current = AuthController.password(request, "current_password", false);
		String next = AuthController.password(request, "new_password", true);
		request.validate();
		this.accounts.changePassword(owner, current, next, http);
		return ResponseEntity.noContent().build();
	}

}
