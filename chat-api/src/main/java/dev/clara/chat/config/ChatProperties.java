package dev.clara.chat.config;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the public chat turn.
 *
 * @param maxBodyBytes largest request body accepted; larger ones get 413
 * @param historyTurns how many earlier messages of the conversation the LLM sees
 * @param searchCount how many Q&A pairs the search returns
 * @param completionTimeout how long an LLM completion may take before the extractive fallback
 * @param completionMaxTokens the longest answer an LLM may write
 * @param trustedProxies remote addresses whose {@code X-Forwarded-For} is believed; empty trusts none
 * @param rateLimit the request budgets of one IP, one session token and one workspace
 * @param publicBaseUrl where visitors reach this API (scheme, host, port, path prefix), for the URLs
 * Clara hands out: never taken from a request's Host header, which the client chooses
 */
@ConfigurationProperties("clara.chat")
public record ChatProperties(@DefaultValue("16384") int maxBodyBytes, @DefaultValue("6") int historyTurns,
		@DefaultValue("5") int searchCount, @DefaultValue("20s") Duration completionTimeout,
		@DefaultValue("400") int completionMaxTokens, @DefaultValue List<String> trustedProxies,
		@DefaultValue RateLimit rateLimit, @DefaultValue("http://localhost:8080") String publicBaseUrl) {

	public ChatProperties {
		publicBaseUrl = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1)
				: publicBaseUrl;
	}

	/**
	 * Fixed-window budgets, counted in PostgreSQL so every replica shares them.
	 *
	 * @param window the window's length
	 * @param perIp turns one client (an IPv4 address, an IPv6 /64) may start per window
	 * @param perNetwork turns one network (an IPv4 /24, an IPv6 /48) may start per window
	 * @param perSession turns one session token may start per window
	 * @param perWorkspace turns one workspace may serve per window, counting only turns no other
	 * budget refused
	 * @param readsPerIp public reads (history, widget settings, assets) one client may make per window
	 */
	public record RateLimit(@DefaultValue("60s") Duration window, @DefaultValue("30") int perIp,
			@DefaultValue("120") int perNetwork, @DefaultValue("20") int perSession,
			@DefaultValue("600") int perWorkspace, @DefaultValue("300") int readsPerIp) {
	}

}
