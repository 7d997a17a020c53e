package dev.clara.chat.feedback;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.clara.chat.config.ChatProperties;
import dev.clara.chat.identity.ConversationAccess;
import dev.clara.chat.identity.IdentityVerifier;
import dev.clara.chat.identity.VerifiedUser;
import dev.clara.chat.feedback.FeedbackRepository.Stored;
import dev.clara.chat.ratelimit.RateLimiter;
import dev.clara.chat.turn.ChatTurnService;
import dev.clara.chat.web.ClientAddress;
import dev.clara.chat.web.PublicJson;
import dev.clara.chat.workspace.WorkspaceSettings;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/chat/feedback}: the widget's thumbs up or down on one of Clara's answers. Public
 * like {@code POST /api/chat}: the session token in the body is the visitor's only credential, and
 * the workspace's origin rule applies.
 */
@RestController
class FeedbackController {

	private final FeedbackService feedback;

	private final ChatTurnService turns;

	private final RateLimiter rateLimiter;

	private final JsonMapper json;

	private final ChatProperties properties;

	private final IdentityVerifier identities;

	private final ConversationAccess access;

	FeedbackController(FeedbackService feedback, ChatTurnService turns, RateLimiter rateLimiter, JsonMapper json,
			ChatProperties properties, IdentityVerifier identities, ConversationAccess access) {
		this.feedback = feedback;
		this.identities = identities;
		this.access = access;
		this.turns = turns;
		this.rateLimiter = rateLimiter;
		this.json = json;
		this.properties = properties;
	}

	/** The stored rating, as the reply says it; no comment property when there is none. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record FeedbackReply(UUID messageId, String rating, String comment, Instant ratedAt) {
	}

	/** Validation, the rate limit, the origin rule and the identity in the order of a chat turn, then the rating. */
	@PostMapping("/api/chat/feedback")
	FeedbackReply rate(@RequestBody(required = false) String body, HttpServletRequest http) {
		FeedbackRequest request = FeedbackRequest.parse(PublicJson.parse(this.json, body));
		this.rateLimiter.acquireFeedback(ClientAddress.of(http, this.properties.trustedProxies()));
		WorkspaceSettings settings = this.turns.settingsOf(request.workspaceId());
		settings.requireAllowedOrigin(http.getHeader(HttpHeaders.ORIGIN));
		// a signed-in user's conversation is rated by that user only, like it is continued
		VerifiedUser user = this.identities.verify(request.workspaceId(), settings.identityRules(), request.user());
		this.access.require(request.workspaceId(), request.sessionToken(), user);
		Stored stored = this.feedback.rate(request);
		return new FeedbackReply(request.messageId(), stored.rating(), stored.comment(), stored.ratedAt());
	}

}
