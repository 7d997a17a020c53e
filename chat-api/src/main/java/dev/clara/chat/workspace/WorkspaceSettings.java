package dev.clara.chat.workspace;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.clara.chat.identity.IdentityVerifier;
import dev.clara.chat.web.ApiProblem;
import dev.clara.shared.answers.AnswerDecision.Policy;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;

/**
 * What the chat turn needs of a workspace: its settings JSON and the thresholds of the embedding
 * model its search uses.
 *
 * @param searchModel the embedding model whose vectors this workspace's search uses
 * @param policy how confident an answer must be, and how confidence is computed: the owner's
 * threshold, or the model's default when the owner set none (the database's
 * {@code workspace_confidence_threshold}), with the search model's calibrations
 * @param answerModelVersion the newest answer model of the workspace trained on the search model's
 * vectors, or null when there is none
 * @param tokenBudget the monthly token budget and this month's recorded tokens
 * @param identityRules whether every chat needs a verified user, and whether only the token form verifies
 * @param hasOwnLlmKey whether the workspace has a default active LLM key of its own (read with the
 * settings, so a turn in a workspace without one does not look for it again)
 * @param currentPairSnapshot the snapshot of the in-memory copy of the workspace's pairs when the
 * settings query confirmed that the copy is what the database holds, else null
 */
public record WorkspaceSettings(UUID workspaceId, String searchModel, String displayName, String bookingUrl, String personalityPrompt,
		Policy policy, Integer answerModelVersion, double searchFloor, int maxSuggestionChips, boolean escalationEnabled,
		List<String> suggestedMessages, List<String> allowedOrigins, TokenBudget tokenBudget,
		IdentityVerifier.Rules identityRules, boolean hasOwnLlmKey, String currentPairSnapshot) {

	static WorkspaceSettings from(UUID workspaceId, JsonNode settings, String searchModel, Policy policy,
			Integer answerModelVersion, double searchFloor, long monthTokens, boolean hasOwnLlmKey,
			String currentPairSnapshot) {
		return new WorkspaceSettings(workspaceId, searchModel, settings.path("display_name").asString("Clara"),
				textOrNull(settings.path("booking_url")), settings.path("personality_prompt").asString(""),
				policy, answerModelVersion, searchFloor,
				Math.max(1, Math.min(5, settings.path("max_suggestion_chips").asInt(3))),
				settings.path("escalation_enabled").asBoolean(true), strings(settings.path("suggested_messages")),
				strings(settings.path("allowed_origins")), new TokenBudget(budgetOf(settings), monthTokens),
				new IdentityVerifier.Rules(settings.path("require_verified_user").asBoolean(false),
						settings.path("require_user_token").asBoolean(false)), hasOwnLlmKey, currentPairSnapshot);
	}

	/** Whether a browser page from {@code origin} may call the chat API; no list means any site. */
	public boolean allowsOrigin(String origin) {
		return this.allowedOrigins.isEmpty() || (origin != null && this.allowedOrigins.contains(origin));
	}

	/** 403 when a browser page from {@code origin} may not call the public API; no Origin header is not checked. */
	public void requireAllowedOrigin(String origin) {
		if (origin != null && !allowsOrigin(origin)) {
			throw new ApiProblem(HttpStatus.FORBIDDEN, "Origin not allowed",
					"This workspace's widget is not enabled on " + origin);
		}
	}

	/** The owner's budget; anything but a positive whole number (the owner API lets no other through) is no cap. */
	static Long budgetOf(JsonNode settings) {
		JsonNode budget = settings.path("monthly_token_budget");
		return budget.isIntegralNumber() && budget.canConvertToLong() && budget.asLong() > 0 ? budget.asLong() : null;
	}

	private static String textOrNull(JsonNode node) {
		return node.isString() && !node.asString().isBlank() ? node.asString() : null;
	}

	private static List<String> strings(JsonNode array) {
		List<String> values = new ArrayList<>();
		if (array.isArray()) {
			array.forEach(value -> {
				if (value.isString() && !value.asString().isBlank()) {
					values.add(value.asString());
				}
			});
		}
		return List.copyOf(values);
	}

}
