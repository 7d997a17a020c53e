package dev.clara.chat.answer;

/** What an LLM wrote, with the usage that goes to {@code api_usage} and the message metadata. */
public record Completion(String text, String provider, String model, long promptTokens, long completionTokens,
		long latencyMs) {

	public long totalTokens() {
		return this.promptTokens + this.completionTokens;
	}

}
