package dev.clara.chat.answer;

/**
 * A decrypted LLM key, held in memory only for the turn that uses it.
 *
 * @param source {@code workspace} (the owner's default key) or {@code deployment}
 * @param provider {@code openai} or {@code anthropic}
 */
public record LlmCredentials(String source, String provider, String model, String apiKey, String baseUrl) {

	@Override
	public String toString() {
		return "LlmCredentials[source=" + this.source + ", provider=" + this.provider + ", model=" + this.model
				+ ", baseUrl=" + this.baseUrl + "]";
	}

}
