package dev.clara.chat.memory;

import java.util.List;
import java.util.UUID;

import dev.clara.chat.answer.LlmClient.Turn;
import dev.clara.chat.answer.VisitorMemory;
import dev.clara.chat.identity.VerifiedUser;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

/**
 * A signed-in visitor's memory for the LLM: their recent messages wherever they wrote them, their
 * profile, and summaries of their earlier conversations. Bounded whatever the history's length:
 * {@code historyTurns} messages and {@link VisitorMemory#MAX_SUMMARIES} summaries of at most
 * {@link VisitorMemory#MAX_SUMMARY_CHARS} characters.
 */
@Component
public class Memories {

	private final MemoryRepository memory;

	private final JsonMapper json;

	Memories(MemoryRepository memory, JsonMapper json) {
		this.memory = memory;
		this.json = json;
	}

	public List<Turn> recentTurns(UUID workspaceId, VerifiedUser user, int limit) {
		return this.memory.recentTurns(workspaceId, user.externalId(), limit);
	}

	/** The profile and earlier conversations; the conversation of {@code sessionToken} is the current one. */
	public VisitorMemory of(UUID workspaceId, VerifiedUser user, String sessionToken) {
		List<VisitorMemory.Summary> summaries = this.memory
			.summaries(workspaceId, user.externalId(), sessionToken, VisitorMemory.MAX_SUMMARIES)
			.stream()
			.map(summary -> new VisitorMemory.Summary(summary.date(), cut(summary.text())))
			.toList();
		return new VisitorMemory(profile(workspaceId, user), summaries);
	}

	/** What this message says of the user, else what the last one said (stored with the end user). */
	private String profile(UUID workspaceId, VerifiedUser user) {
		if (user.name() == null && user.traitsJson() == null) {
			return this.memory.profile(workspaceId, user.externalId());
		}
		ObjectNode profile = this.json.createObjectNode();
		if (user.name() != null) {
			profile.put("name", user.name());
		}
		if (user.traitsJson() != null) {
			profile.set("traits", this.json.readTree(user.traitsJson()));
		}
		return profile.toString();
	}

	static String cut(String text) {
		String stripped = text.strip();
		return stripped.length() <= VisitorMemory.MAX_SUMMARY_CHARS ? stripped
				: stripped.substring(0, VisitorMemory.MAX_SUMMARY_CHARS - 1) + "…";
	}

}
