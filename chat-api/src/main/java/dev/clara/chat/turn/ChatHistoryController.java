package dev.clara.chat.turn;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.clara.chat.config.ChatProperties;
import dev.clara.chat.identity.ConversationAccess;
import dev.clara.chat.identity.EndUserRepository;
import dev.clara.chat.identity.EndUserRepository.ConversationSummary;
import dev.clara.chat.identity.VerifiedUser;
import dev.clara.chat.ratelimit.RateLimiter;
import dev.clara.chat.web.ApiProblem;
import dev.clara.chat.web.ClientAddress;
import dev.clara.chat.workspace.WorkspaceSettings;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What a visitor reads of their own conversations: the messages of the session's conversation
 * (anyone holding its session token, unless it is a signed-in user's), and for a signed-in user
 * the list of their conversations across sessions and devices, and erasure of one or all of them.
 * Identity travels in headers, never in the URL.
 */
@RestController
@RequestMapping("/api/chat")
class ChatHistoryController {

	static final int MAX_LISTED = 50;

	private final ChatTurnService turns;

	private final RateLimiter rateLimiter;

	private final ChatProperties properties;

	private final VisitorIdentity identity;

	private final ConversationAccess access;

	private final EndUserRepository endUsers;

	private final TransactionTemplate transactions;

	ChatHistoryController(ChatTurnService turns, RateLimiter rateLimiter, ChatProperties properties,
			VisitorIdentity identity, ConversationAccess access, EndUserRepository endUsers,
			TransactionTemplate transactions) {
		this.turns = turns;
		this.rateLimiter = rateLimiter;
		this.properties = properties;
		this.identity = identity;
		this.access = access;
		this.endUsers = endUsers;
		this.transactions = transactions;
	}

	@GetMapping("/messages")
	Map<String, List<ChatMessage>> messages(@RequestParam("workspace_id") String workspaceId, HttpServletRequest http) {
		UUID workspace = workspaceOf(workspaceId);
		String token = sessionToken(http, true);
		WorkspaceSettings settings = admit(workspace, http);
		VerifiedUser user = this.identity.of(http, workspace, settings);
		this.access.require(workspace, token, user);
		return Map.of("messages", this.turns.messages(workspace, token));
	}

	@GetMapping("/conversations")
	Map<String, List<ConversationSummary>> conversations(@RequestParam("workspace_id") String workspaceId,
			HttpServletRequest http) {
		UUID workspace = workspaceOf(workspaceId);
		WorkspaceSettings settings = admit(workspace, http);
		VerifiedUser user = this.identity.required(http, workspace, settings);
		return Map.of("conversations", this.endUsers.conversationsOf(workspace, user.externalId(), MAX_LISTED));
	}

	/**
	 * Erases the signed-in user's conversation of the session header, or, without that header,
	 * all their conversations and their profile.
	 */
	@DeleteMapping("/conversations")
	ResponseEntity<Void> erase(@RequestParam("workspace_id") String workspaceId, HttpServletRequest http) {
		UUID workspace = workspaceOf(workspaceId);
		String token = sessionToken(http, false);
		WorkspaceSettings settings = admit(workspace, http);
		VerifiedUser user = this.identity.required(http, workspace, settings);
		Integer erased = this.transactions.execute(status -> this.endUsers.erase(workspace, user.externalId(), token));
		if (token != null && (erased == null || erased == 0)) {
			throw new ApiProblem(HttpStatus.NOT_FOUND, "Conversation not found",
					"This user has no conversation with that session token");
		}
		return ResponseEntity.noContent().build();
	}

	/** The read budget of the address and the workspace's origin rule, before anything is read. */
	private WorkspaceSettings admit(UUID workspace, HttpServletRequest http) {
		this.rateLimiter.acquireRead(ClientAddress.of(http, this.properties.trustedProxies()));
		WorkspaceSettings settings = this.turns.settingsOf(workspace);
		// the CORS headers come from PublicCorsConfiguration; this is the workspace's say
		settings.requireAllowedOrigin(http.getHeader(HttpHeaders.ORIGIN));
		return settings;
	}

	private static UUID workspaceOf(String workspaceId) {
		try {
			return UUID.fromString(workspaceId);
		}
		catch (IllegalArgumentException ex) {
			throw ApiProblem.invalid(List.of("workspace_id must be a UUID"));
		}
	}

	/** The session header, in the shape of the body's session_token (printable ASCII), so no other text reaches a query. */
	private static String sessionToken(HttpServletRequest http, boolean required) {
		String token = http.getHeader(ChatController.SESSION_HEADER);
		if (token == null && !required) {
			return null;
		}
		if (token == null || token.length() < ChatRequest.MIN_TOKEN_CHARS || token.length() > ChatRequest.MAX_TOKEN_CHARS
				|| !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
			throw ApiProblem.invalid(List.of(ChatController.SESSION_HEADER + " header must hold the session token"));
		}
		return token;
	}

}
