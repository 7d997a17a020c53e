package dev.clara.chat.feedback;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.clara.chat.config.ChatProperties;
import dev.clara.chat.feedback.FeedbackRepository.Stored;
import dev.clara.chat.ratelimit.RateLimiter;
import dev.clara.chat.turn.ChatTurnService;
import dev.clara.chat.web.ApiProblem;
import dev.clara.chat.web.ClientAddress;
import dev.clara.chat.workspace.WorkspaceSettings;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
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

	FeedbackController(FeedbackService feedback, ChatTurnService turns, RateLimiter rateLimiter, JsonMapper json,
			ChatProperties properties) {
		this.feedback = feedback;
		this.turns = turns;
		this.rateLimiter = rateLimiter;
		this.json = json;
		this.properties = properties;
	}

	/** The stored rating, as the reply says it; no comment property when there is none. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record FeedbackReply(UUID messageId, String rating, String comment, Instant ratedAt) {
	}

	/** Validation, the rate limit and the origin rule in the order of a chat turn, then the rating. */
	@PostMapping("/api/chat/feedback")
	FeedbackReply rate(@RequestBody(required = false) String body, HttpServletRequest http) {
		FeedbackRequest request = FeedbackRequest.parse(parseJson(body));
		this.rateLimiter.acquireFeedback(ClientAddress.of(http, this.properties.trustedProxies()));
		WorkspaceSettings settings = this.turns.settingsOf(request.workspaceId());
		String origin = http.getHeader(HttpHeaders.ORIGIN);
		if (origin != null && !settings.allowsOrigin(origin)) {
			throw new ApiProblem(HttpStatus.FORBIDDEN, "Origin not allowed",
					"This workspace's widget is not enabled on " + origin);
		}
		Stored stored = this.feedback.rate(request);
		return new FeedbackReply(request.messageId(), stored.rating(), stored.comment(), stored.ratedAt());
	}

	private JsonNode parseJson(String body) {
		if (body == null || body.isBlank()) {
			throw ApiProblem.invalid(List.of("the request body is empty"));
		}
		try {
			return this.json.readTree(body);
		}
		catch (JacksonException ex) {
			throw ApiProblem.invalid(List.of("the request body is not valid JSON"));
		}
	}

}
