package dev.clara.chat.widget;

import java.time.Duration;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves {@code widget.js} (from {@code static/}) with a short public cache lifetime: every page
 * view of every site that embeds it asks for it, and a release must still reach them soon.
 */
@Configuration(proxyBeanMethods = false)
class WidgetAssets implements WebMvcConfigurer {

	static final Duration SCRIPT_MAX_AGE = Duration.ofMinutes(5);

	@Override
	public void addResourceHandlers(ResourceHandlerRegistry registry) {
		registry.addResourceHandler("/widget.js")
			.addResourceLocations("classpath:/static/")
			.setCacheControl(CacheControl.maxAge(SCRIPT_MAX_AGE).cachePublic());
	}

}
