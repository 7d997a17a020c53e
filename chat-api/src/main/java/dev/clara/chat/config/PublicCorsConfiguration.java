package dev.clara.chat.config;

import dev.clara.chat.identity.IdentityHeaders;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The widget calls the public API from its owner's sites. A preflight cannot say which workspace
 * it is for (that is in the body), so preflights and CORS headers are allowed for any origin here,
 * and each request is then checked against its workspace's {@code allowed_origins} (403 when the
 * site is not one of them). Errors stay readable by the widget, {@code Retry-After} included.
 */
@Configuration(proxyBeanMethods = false)
class PublicCorsConfiguration implements WebMvcConfigurer {

	@Override
	public void addCorsMappings(CorsRegistry registry) {
		// the widget's settings (a simple GET, no preflight) answer CORS themselves
		for (String path : new String[] { "/api/chat", "/api/chat/**" }) {
			registry.addMapping(path)
				.allowedOriginPatterns("*")
				.allowedMethods("GET", "POST", "DELETE")
				.allowedHeaders("Content-Type", "X-Clara-Session-Token", IdentityHeaders.USER, IdentityHeaders.HASH,
						IdentityHeaders.TOKEN)
				.exposedHeaders("Retry-After")
				.allowCredentials(false)
				.maxAge(600);
		}
	}

}
