package dev.clara.chat.widget;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.clara.chat.config.ChatProperties;
import dev.clara.chat.ratelimit.RateLimiter;
import dev.clara.chat.web.ApiProblem;
import dev.clara.chat.web.ClientAddress;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The widget's public settings: what it needs to draw itself on a visitor's page, and nothing
 * else. Public and unauthenticated like the chat API, with the same origin rule (the workspace's
 * {@code allowed_origins}; empty means any site), and cacheable for a short while so a busy site
 * does not ask for every page view.
 */
@RestController
class WidgetSettingsController {

	/** How long browsers and shared caches may keep the settings; an owner's edit shows within it. */
	static final Duration MAX_AGE = Duration.ofSeconds(60);

	private final WidgetSettingsRepository settings;

	private final RateLimiter rateLimiter;

	private final List<String> trustedProxies;

	WidgetSettingsController(WidgetSettingsRepository settings, RateLimiter rateLimiter, ChatProperties properties) {
		this.settings = settings;
		this.rateLimiter = rateLimiter;
		this.trustedProxies = properties.trustedProxies();
	}

	@GetMapping("/api/widget/{workspaceId}/settings")
	ResponseEntity<PublicWidgetSettings> settings(@PathVariable String workspaceId,
			@RequestHeader(name = HttpHeaders.ORIGIN, required = false) String origin, HttpServletRequest request) {
		UUID workspace = parse(workspaceId);
		this.rateLimiter.acquireRead(ClientAddress.of(request, this.trustedProxies));
		WidgetSettingsRepository.WidgetSettings found = this.settings.find(workspace)
			.orElseThrow(() -> new ApiProblem(HttpStatus.NOT_FOUND, "Unknown workspace",
					"No workspace has the id " + workspace));
		ResponseEntity.BodyBuilder response = ResponseEntity.ok()
			.varyBy(HttpHeaders.ORIGIN)
			.cacheControl(CacheControl.maxAge(MAX_AGE).cachePublic());
		if (origin != null) {
			if (!found.allowsOrigin(origin)) {
				throw new ApiProblem(HttpStatus.FORBIDDEN, "Origin not allowed",
						"This workspace's widget is not enabled on " + origin);
			}
			response.header(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
		}
		return response.body(found.settings());
	}

	private static UUID parse(String workspaceId) {
		try {
			UUID uuid = UUID.fromString(workspaceId);
			if (uuid.toString().equalsIgnoreCase(workspaceId)) {
				return uuid;
			}
		}
		catch (IllegalArgumentException ex) {
			// reported below
		}
		throw ApiProblem.invalid(List.of("the workspace id must be a UUID"));
	}

}
