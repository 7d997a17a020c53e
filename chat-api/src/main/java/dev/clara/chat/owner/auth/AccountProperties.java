package dev.clara.chat.owner.auth;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How standalone owner accounts are protected: throttling, e-mail confirmation, password reset,
 * the bound on a signed-out access token, and the SMTP server the account mails go through.
 *
 * @param confirmation whether a new account must confirm its e-mail address before it signs in
 * @param confirmationTtl how long a confirmation link works
 * @param resetTtl how long a password reset token works
 * @param revocationCheckCache how long a replica believes an access token's session is still
 * signed in without asking the database again: the longest a signed-out access token keeps working
 * @param throttle attempt budgets
 * @param mail the SMTP server and the links in the mails
 */
@ConfigurationProperties("clara.owner.accounts")
public record AccountProperties(@DefaultValue("auto") Confirmation confirmation,
		@DefaultValue("24h") Duration confirmationTtl, @DefaultValue("30m") Duration resetTtl,
		@DefaultValue("15s") Duration revocationCheckCache, @DefaultValue Throttle throttle, @DefaultValue Mail mail) {

	public enum Confirmation {

		/** Required when an SMTP server is configured, off otherwise. */
		AUTO,
		/** Always required (startup fails without an SMTP server). */
		REQUIRED,
		/** New accounts are confirmed on creation. */
		OFF

	}

	/** Whether new accounts must confirm their address before signing in. */
	boolean confirmationRequired() {
		return this.confirmation == Confirmation.REQUIRED
				|| (this.confirmation == Confirmation.AUTO && this.mail.configured());
	}

	/**
	 * Fixed-window budgets, counted in PostgreSQL so that every replica shares them. Checked before
	 * any password hash is computed.
	 *
	 * @param perAddress requests of one client address (an IPv6 address by its /64) to the sign-in,
	 * sign-up, refresh, confirmation and password endpoints per {@code addressWindow}
	 * @param addressWindow the window of {@code perAddress}
	 * @param failedSignInsPerAccount failed sign-ins (or wrong current passwords) of one e-mail
	 * address per {@code accountWindow}; then even the right password gets 429 until the window ends
	 * @param mailsPerAccount mails (confirmation, notice, reset) to one e-mail address per
	 * {@code accountWindow}; further ones are not sent (the answers stay the same)
	 * @param accountWindow the window of the per-account budgets
	 */
	public record Throttle(@DefaultValue("20") int perAddress, @DefaultValue("1m") Duration addressWindow,
			@DefaultValue("10") int failedSignInsPerAccount, @DefaultValue("5") int mailsPerAccount,
			@DefaultValue("15m") Duration accountWindow) {
	}

	/**
	 * @param smtpHost the SMTP server ({@code CLARA_SMTP_HOST}); blank = no mails
	 * @param smtpPort its port
	 * @param username SMTP user, blank = no authentication
	 * @param password SMTP password
	 * @param startTls whether to upgrade the connection with STARTTLS when the server offers it
	 * @param from the sender ({@code CLARA_MAIL_FROM})
	 * @param publicBaseUrl where this deployment is reached from outside, for the links in mails
	 * ({@code CLARA_PUBLIC_BASE_URL}); links are never built from a request's Host header
	 * @param resetPath the page of the owner front-end that takes a reset token ({@code ?token=…}); by
	 * default the dashboard's, {@code /app/#/reset-password}
	 */
	public record Mail(String smtpHost, @DefaultValue("587") int smtpPort, String username, String password,
			@DefaultValue("true") boolean startTls, @DefaultValue("no-reply@clara.local") String from,
			String publicBaseUrl, @DefaultValue("/app/#/reset-password") String resetPath) {

		public boolean configured() {
			return this.smtpHost != null && !this.smtpHost.isBlank();
		}

		@Override
		public String toString() {
			return "Mail[smtpHost=" + this.smtpHost + ", smtpPort=" + this.smtpPort + ", password="
					+ (this.password == null || this.password.isBlank() ? "(none)" : "(set)") + "]";
		}

	}

}
