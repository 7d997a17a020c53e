package dev.clara.chat.owner.auth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Component;

/**
 * The account mails, plain text over SMTP. They are sent after the transaction that made their
 * token has committed, on a thread of their own: a failed send never undoes an account (the owner
 * gets a new link by signing in again or asking for a reset), and the answer's timing does not tell
 * whether a mail went out (a reset for an unknown address sends none). The sender is kept here,
 * not exposed as a bean, so Boot's mail health check does not tie the service's health to the
 * SMTP server. Tokens and passwords are never logged: log lines name the account's id only.
 */
@Component
class AccountMailer implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(AccountMailer.class);

	private final AccountProperties.Mail settings;

	private final JavaMailSenderImpl sender;

	private final ThreadPoolExecutor executor;

	AccountMailer(AccountProperties properties) {
		this.settings = properties.mail();
		if (properties.confirmation() == AccountProperties.Confirmation.REQUIRED && !this.settings.configured()) {
			throw new IllegalStateException(
					"clara.owner.accounts.confirmation=required needs an SMTP server (CLARA_SMTP_HOST)");
		}
		if (this.settings.configured()) {
			String base = this.settings.publicBaseUrl();
			if (base == null || !(base.startsWith("https://") || base.startsWith("http://"))) {
				throw new IllegalStateException("Account mails hold links: set CLARA_PUBLIC_BASE_URL "
						+ "(e.g. https://clara.example.com) when CLARA_SMTP_HOST is set");
			}
			JavaMailSenderImpl made = new JavaMailSenderImpl();
			made.setHost(this.settings.smtpHost());
			made.setPort(this.settings.smtpPort());
			made.setDefaultEncoding("UTF-8");
			Properties props = new Properties();
			props.put("mail.smtp.connectiontimeout", "10000");
			props.put("mail.smtp.timeout", "20000");
			props.put("mail.smtp.writetimeout", "20000");
			props.put("mail.smtp.starttls.enable", Boolean.toString(this.settings.startTls()));
			if (this.settings.username() != null && !this.settings.username().isBlank()) {
				made.setUsername(this.settings.username());
				made.setPassword(this.settings.password());
				props.put("mail.smtp.auth", "true");
			}
			made.setJavaMailProperties(props);
			this.sender = made;
		}
		else {
			this.sender = null;
		}
		// one sender thread; a bounded queue so a flood of requests cannot pile up memory
		this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1000),
				runnable -> {
					Thread thread = new Thread(runnable, "owner-account-mail");
					thread.setDaemon(true);
					return thread;
				});
	}

	boolean configured() {
		return this.sender != null;
	}

	/** A link into this deployment (a dashboard page), from the configured public base URL. */
	String apiLink(String path, String token) {
		return base() + path + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
	}

	/** The owner front-end's reset page. */
	String resetLink(String token) {
		return base() + this.settings.resetPath() + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
	}

	private String base() {
		String base = this.settings.publicBaseUrl() == null ? "" : this.settings.publicBaseUrl();
		return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
	}

	/**
	 * Queues the mail; call after the transaction that made its token has committed.
	 *
	 * @param kind what the mail is, for the log line
	 * @param userId the account, for the log line (null: none)
	 */
	void send(String kind, UUID userId, String to, String subject, String text) {
		if (this.sender == null) {
			log.info("Owner account mail '{}' for account {} not sent: no SMTP server configured (CLARA_SMTP_HOST)",
					kind, userId);
			return;
		}
		try {
			this.executor.execute(() -> deliver(kind, userId, to, subject, text));
		}
		catch (RejectedExecutionException ex) {
			log.warn("Owner account mail '{}' for account {} dropped: the mail queue is full", kind, userId);
		}
	}

	private void deliver(String kind, UUID userId, String to, String subject, String text) {
		SimpleMailMessage message = new SimpleMailMessage();
		message.setFrom(this.settings.from());
		message.setTo(to);
		message.setSubject(subject);
		message.setText(text);
		try {
			this.sender.send(message);
			log.info("Owner account mail '{}' sent for account {}", kind, userId);
		}
		catch (MailException ex) {
			// the exception's message may quote the server, never the body; the body holds the token
			log.warn("Owner account mail '{}' for account {} could not be sent: {}", kind, userId,
					ex.getClass().getSimpleName());
		}
	}

	@Override
	public void destroy() throws InterruptedException {
		this.executor.shutdown();
		this.executor.awaitTermination(5, TimeUnit.SECONDS);
	}

}
