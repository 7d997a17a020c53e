package dev.clara.chat.owner.browser;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * The configured outside sign-ins, in button order: the generic OpenID Connect issuer, Google,
 * GitHub. None in Supabase mode: there, Supabase Auth's own providers sign owners in, and Clara
 * cannot make Supabase sessions.
 */
@Component
class OAuthProviders {

	private static final Logger log = LoggerFactory.getLogger(OAuthProviders.class);

	private final Map<String, OAuthProvider> byId = new LinkedHashMap<>();

	OAuthProviders(OAuthProperties properties, BrowserProperties browser, JsonMapper json) {
		ProviderHttp http = new ProviderHttp(json, properties.timeout());
		List<OAuthProvider> configured = new ArrayList<>();
		OAuthProperties.Oidc oidc = properties.oidc();
		if (oidc.enabled()) {
			configured.add(new OidcProvider(oidc.id(), oidc.name(), oidc.issuer(), oidc.clientId(), oidc.clientSecret(),
					oidc.scopes(), http));
		}
		OAuthProperties.Google google = properties.google();
		if (google.enabled()) {
			configured.add(new OidcProvider("google", "Google", google.issuer(), google.clientId(),
					google.clientSecret(), "openid email profile", http));
		}
		if (properties.github().enabled()) {
			configured.add(new GitHubProvider(properties.github(), http));
		}
		if (browser.supabase().enabled() && !configured.isEmpty()) {
			log.warn("Dashboard: OAuth providers are ignored in Supabase mode: configure them in Supabase Auth");
			return;
		}
		for (OAuthProvider provider : configured) {
			if (!provider.id().matches("[a-z0-9][a-z0-9_-]{0,39}") || this.byId.putIfAbsent(provider.id(), provider) != null) {
				throw new IllegalStateException("OAuth provider id '" + provider.id()
						+ "' must be unique, lower-case letters, digits, '-' or '_'");
			}
		}
	}

	List<OAuthProvider> all() {
		return List.copyOf(this.byId.values());
	}

	Optional<OAuthProvider> find(String id) {
		return Optional.ofNullable(this.byId.get(id));
	}

}
