package dev.clara.chat.owner.browser;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The dashboard's browser session ({@code /app/}): cookies instead of bearer tokens.
 *
 * @param csrfSecret the key of the CSRF tokens ({@code CLARA_SESSION_SECRET}); blank: derived from
 * {@code CLARA_JWT_SECRET}, or, without that either, a random key per start (then every replica
 * needs the same explicit secret)
 * @param refreshReuseGrace a refresh token used this recently by a concurrent request of the same
 * browser still yields an access token (no replay alarm): parallel requests that all found the
 * access token expired do not sign the owner out
 * @param supabase Supabase Auth, when the deployment signs owners in there
 */
@ConfigurationProperties("clara.owner.browser")
public record BrowserProperties(String csrfSecret, @DefaultValue("10s") Duration refreshReuseGrace,
		@DefaultValue Supabase supabase) {

	/**
	 * @param url the project's URL ({@code CLARA_SUPABASE_URL}, e.g. {@code https://PROJECT.supabase.co});
	 * set: the deployment is in Supabase mode and the dashboard signs in through Supabase Auth
	 * @param anonKey the project's anon (publishable) key ({@code CLARA_SUPABASE_ANON_KEY}), sent
	 * as {@code apikey} to Supabase Auth
	 * @param timeout longest wait for one Supabase Auth call
	 */
	public record Supabase(String url, String anonKey, @DefaultValue("10s") Duration timeout) {

		public boolean enabled() {
			return this.url != null && !this.url.isBlank();
		}

		@Override
		public String toString() {
			return "Supabase[url=" + this.url + ", anonKey=" + (this.anonKey == null ? "(none)" : "(set)") + "]";
		}

	}

	@Override
	public String toString() {
		return "BrowserProperties[csrfSecret=" + (this.csrfSecret == null || this.csrfSecret.isBlank() ? "(none)" : "(set)")
				+ ", refreshReuseGrace=" + this.refreshReuseGrace + ", supabase=" + this.supabase + "]";
	}

}
