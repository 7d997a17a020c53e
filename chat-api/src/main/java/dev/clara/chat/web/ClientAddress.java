package dev.clara.chat.web;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The client's address for rate limiting. {@code X-Forwarded-For} is believed only when the
 * request comes from a configured trusted proxy; otherwise anyone could reset their own budget.
 */
public final class ClientAddress {

	private ClientAddress() {
	}

	public static String of(HttpServletRequest request, List<String> trustedProxies) {
		String remote = request.getRemoteAddr();
		if (trustedProxies.isEmpty() || !trustedProxies.contains(remote)) {
			return remote;
		}
		String forwarded = request.getHeader("X-Forwarded-For");
		if (forwarded == null || forwarded.isBlank()) {
			return remote;
		}
		String[] hops = forwarded.split(",");
		// the right-most hop that is not one of our proxies is the one a proxy of ours saw
		for (int i = hops.length - 1; i >= 0; i--) {
			String hop = hops[i].strip();
			if (!hop.isEmpty() && !trustedProxies.contains(hop)) {
				return hop.length() > 64 ? hop.substring(0, 64) : hop;
			}
		}
		return remote;
	}

}
