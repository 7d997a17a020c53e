package dev.clara.chat.owner.browser;

import dev.clara.chat.owner.auth.AuthService;
import dev.clara.chat.owner.auth.AuthThrottle;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Which accounts the dashboard signs in to: Supabase Auth when configured, else Clara's own. */
@Configuration(proxyBeanMethods = false)
class BrowserSessionConfiguration {

	@Bean
	SessionBackend dashboardSessions(BrowserProperties properties, AuthService auth, AuthThrottle throttle,
			JsonMapper json) {
		if (properties.supabase().enabled()) {
			return new SupabaseSessions(properties.supabase(), new ProviderHttp(json, properties.supabase().timeout()),
					throttle, auth);
		}
		return new StandaloneSessions(auth, properties);
	}

}
