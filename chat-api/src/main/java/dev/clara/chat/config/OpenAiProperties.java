package dev.clara.chat.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A deployment-wide OpenAI-compatible provider, used when a workspace has no key of its own.
 *
 * @param apiKey the key ({@code OPENAI_API_KEY}); blank means none
 * @param baseUrl the API's base URL ({@code OPENAI_BASE_URL}), for any OpenAI-compatible server
 * @param chatModel the chat model used with the deployment's key
 * @param workspaceOpenAiUrl where workspaces' own OpenAI keys are sent
 * @param workspaceAnthropicUrl where workspaces' own Anthropic keys are sent: Anthropic's
 * OpenAI-compatible endpoint, so one client library (openai-java) serves both providers
 */
@ConfigurationProperties("clara.openai")
public record OpenAiProperties(String apiKey, @DefaultValue("https://api.openai.com/v1") String baseUrl,
		@DefaultValue("gpt-4o-mini") String chatModel,
		@DefaultValue("https://api.openai.com/v1") String workspaceOpenAiUrl,
		@DefaultValue("https://api.anthropic.com/v1/") String workspaceAnthropicUrl) {

	public String workspaceUrlOf(String provider) {
		return "anthropic".equals(provider) ? this.workspaceAnthropicUrl : this.workspaceOpenAiUrl;
	}

	public boolean hasKey() {
		return this.apiKey != null && !this.apiKey.isBlank();
	}

	@Override
	public String toString() {
		return "OpenAiProperties[baseUrl=" + this.baseUrl + ", chatModel=" + this.chatModel + ", apiKey="
				+ (hasKey() ? "(set)" : "(none)") + "]";
	}

}
