package dev.clara.chat.dashboard;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The owner dashboard is static files ({@code static/app/}: ES modules, one style sheet, no build
 * step) with hash routes ({@code /app/#/gaps}), so the server only has to answer {@code /app/}
 * with its page: {@code /app} redirects there, and {@code /app/} is {@code index.html}.
 */
@Configuration(proxyBeanMethods = false)
class DashboardPages implements WebMvcConfigurer {

	@Override
	public void addViewControllers(ViewControllerRegistry registry) {
		registry.addRedirectViewController("/app", "/app/");
		registry.addViewController("/app/").setViewName("forward:/app/index.html");
	}

}
