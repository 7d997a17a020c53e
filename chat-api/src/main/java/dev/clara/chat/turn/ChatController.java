package dev.clara.chat.turn;

import java.util.Optional;

import dev.clara.chat.config.ChatProperties;
import dev.clara.chat.ratelimit.RateLimiter;
import dev.clara.chat.identity.ConversationAccess;
import dev.clara.chat.identity.IdentityVerifier;
import dev.clara.chat.identity.VerifiedUser;
import dev.clara.chat.web.ClientAddress;
import dev.clara.chat.web.PublicJson;
import dev.clara.chat.workspace.WorkspaceSettings;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
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

	ChatController(ChatTurnService turns, ChatStreamService streams, RateLimiter rateLimiter, JsonMapper json,
			ChatProperties properties, IdentityVerifier identities) {
		this.turns = turns;
		this.identities = identities;
		this.streams = streams;
		this.rateLimiter = rateLimiter;
		this.json = json;
		this.properties = properties;
	}

	@PostMapping
	ChatReply chat(@RequestBody(required = false) String body, HttpServletRequest http) {
		Admitted turn = admit(body, http);
		return this.turns.answer(turn.request(), turn.settings(), turn.session());
	}

	/**
	 * The same turn as server-sent events, for a client that asks for them. Every refusal (400,
	 * 403, 404, 422, 429) happens before the stream starts, so it is problem+json like on the JSON path.
	 */
	@PostMapping(produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter chatStream(@RequestBody(required = false) String body, HttpServletRequest http) {
		Admitted turn = admit(body, http);
		return this.streams.stream(turn.request(), turn.settings(), turn.session());
	}

	private record Admitted(ChatRequest request, WorkspaceSettings settings, Optional<ConversationStore.Session> session) {
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
		// whose the conversation is, and this message's stored reply, in one read
		Optional<ConversationStore.Session> session = this.turns.sessionOf(request);
		session.ifPresent(found -> ConversationAccess.require(found.owner(), user));
		return new Admitted(request.verified(user), settings, session);
	}

}
