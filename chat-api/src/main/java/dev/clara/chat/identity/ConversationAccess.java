package dev.clara.chat.identity;

import java.util.UUID;

import dev.clara.chat.web.ApiProblem;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The rule for a widget conversation that a verified user has had: it is theirs alone. Their
 * session token does not open it to anyone else, verified or not; an anonymous visitor's
 * conversation becomes the user's when they sign in on the same page.
 */
@Component
public class ConversationAccess {

	private final EndUserRepository endUsers;

	ConversationAccess(EndUserRepository endUsers) {
		this.endUsers = endUsers;
	}

	/** 403 unless {@code user} (null: an anonymous visitor) may use the conversation of {@code token}. */
	public void require(UUID workspaceId, String token, VerifiedUser user) {
		this.endUsers.conversationUser(workspaceId, token).ifPresent(owner -> require(owner, user));
	}

	/**
	 * The same for a conversation already read: {@code owner} is the site's id of its user, an
	 * empty string for an anonymous visitor's conversation.
	 */
	public static void require(String owner, VerifiedUser user) {
		if (!owner.isEmpty() && (user == null || !owner.equals(user.externalId()))) {
			throw notYours();
		}
	}

	/** The refusal, also for the race the turn's write catches (another user took the session meanwhile). */
	public static ApiProblem notYours() {
		return new ApiProblem(HttpStatus.FORBIDDEN, "Conversation of another user",
				"This session's conversation belongs to a signed-in user; send that user's identity or start a new session");
	}

}
