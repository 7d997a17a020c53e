package dev.clara.chat.owner.browser;

import dev.clara.chat.owner.auth.AuthService;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Which accounts the dashboard signs in to: Supabase Auth when configured, else Clara's own. */
@Configuration(proxyBeanMethods = false)
class BrowserSessionConfiguration {

	@Bean
	SessionBackend dashboardSessions(BrowserProperties properties, AuthService auth) {
		return new StandaloneSessions(auth, properties);
	}

}
