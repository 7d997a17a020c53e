package dev.clara.chat.turn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.clara.chat.config.ChatProperties;
import dev.clara.chat.ratelimit.RateLimiter;
import dev.clara.chat.identity.ConversationAccess;
import dev.clara.chat.identity.IdentityHeaders;
import dev.clara.chat.identity.IdentityVerifier;
import dev.clara.chat.identity.UserClaim;
import dev.clara.chat.identity.VerifiedUser;
import dev.clara.chat.web.ApiProblem;
import dev.clara.chat.web.ClientAddress;
import dev.clara.chat.web.PublicJson;
import dev.clara.chat.workspace.WorkspaceSettings;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The public chat API the widget calls. The session token travels in the body (POST) or in the
 * {@value #SESSION_HEADER} header (GET), never in a URL, so it stays out of access logs.
 */
@RestController
@RequestMapping("/api/chat")
class ChatController {

	static final String SESSION_HEADER = "X-Clara-Session-Token";

	private final ChatTurnService turns;

	private final ChatStreamService streams;

	private final RateLimiter rateLimiter;

	private final JsonMapper json;

	private final ChatProperties properties;

	private final IdentityVerifier identities;

	private final ConversationAccess access;

	ChatController(ChatTurnService turns, ChatStreamService streams, RateLimiter rateLimiter, JsonMapper json,
			ChatProperties properties, IdentityVerifier identities, ConversationAccess access) {
		this.turns = turns;
		this.identities = identities;
		this.access = access;
		this.streams = streams;
		this.rateLimiter = rateLimiter;
		this.json = json;
		this.properties = properties;
	}

	@PostMapping
	ChatReply chat(@RequestBody(required = false) String body, HttpServletRequest http) {
		Admitted turn = admit(body, http);
		return this.turns.answer(turn.request(), turn.settings());
	}

	/**
	 * The same turn as server-sent events, for a client that asks for them. Every refusal (400,
	 * 403, 404, 422, 429) happens before the stream starts, so it is problem+json like on the JSON path.
	 */
	@PostMapping(produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter chatStream(@RequestBody(required = false) String body, HttpServletRequest http) {
		Admitted turn = admit(body, http);
		return this.streams.stream(turn.request(), turn.settings());
	}

	private record Admitted(ChatRequest request, WorkspaceSettings settings) {
	}

	/**
	 * Validation, rate limits, the workspace's origin rule and the visitor's identity, in that order,
	 * for either kind of answer: a refusal stores nothing.
	 */
	private Admitted admit(String body, HttpServletRequest http) {
		ChatRequest request = ChatRequest.parse(PublicJson.parse(this.json, body));
		this.rateLimiter.acquire(ClientAddress.of(http, this.properties.trustedProxies()), request.workspaceId(),
				request.sessionToken());
		WorkspaceSettings settings = this.turns.settingsOf(request.workspaceId());
		// the CORS headers come from PublicCorsConfiguration; this is the workspace's say
		settings.requireAllowedOrigin(http.getHeader(HttpHeaders.ORIGIN));
		VerifiedUser user = this.identities.verify(request.workspaceId(), settings.identityRules(), request.userClaim());
		this.access.require(request.workspaceId(), request.sessionToken(), user);
		return new Admitted(request.verified(user), settings);
	}

	@GetMapping("/messages")
	Map<String, List<ChatMessage>> messages(@RequestParam("workspace_id") String workspaceId,
			@RequestHeader(name = SESSION_HEADER, required = false) String token,
			@RequestHeader(name = IdentityHeaders.USER, required = false) String userId,
			@RequestHeader(name = IdentityHeaders.HASH, required = false) String userHash,
			@RequestHeader(name = IdentityHeaders.TOKEN, required = false) String userToken, HttpServletRequest http) {
		UUID workspace;
		try {
			workspace = UUID.fromString(workspaceId);
		}
		catch (IllegalArgumentException ex) {
			throw ApiProblem.invalid(List.of("workspace_id must be a UUID"));
		}
		// the same shape as the body's session_token (printable ASCII), so no other text reaches the query
		if (token == null || token.length() < ChatRequest.MIN_TOKEN_CHARS
				|| token.length() > ChatRequest.MAX_TOKEN_CHARS || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
			throw ApiProblem.invalid(List.of(SESSION_HEADER + " header must hold the session token"));
		}
		this.rateLimiter.acquireRead(ClientAddress.of(http, this.properties.trustedProxies()));
		WorkspaceSettings settings = this.turns.settingsOf(workspace);
		// the CORS headers come from PublicCorsConfiguration; this is the workspace's say
		settings.requireAllowedOrigin(http.getHeader(HttpHeaders.ORIGIN));
		List<String> errors = new ArrayList<>();
		UserClaim claim = UserClaim.fromHeaders(userId, userHash, userToken, errors);
		if (!errors.isEmpty()) {
			throw ApiProblem.invalid(errors);
		}
		VerifiedUser user = this.identities.verify(workspace, settings.identityRules(), claim);
		this.access.require(workspace, token, user);
		return Map.of("messages", this.turns.messages(workspace, token));
	}

}
