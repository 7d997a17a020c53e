package dev.clara.chat.owner.auth;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.clara.chat.ChatApiApplication;
import dev.clara.chat.ChatApiDatabase;
import dev.clara.chat.ChatApiHttp;
import dev.clara.chat.ChatApiHttp.Reply;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Owner-account hardening against the real servers: two chat-api instances on one database (two
 * replicas behind a load balancer) and GreenMail as the SMTP server whose mails are read back and
 * whose links are used. Each test comes from client addresses of its own (the instances trust
 * 127.0.0.1 as a proxy and believe {@code X-Forwarded-For}), so budgets do not mix between tests.
 */
class OwnerAccountsIntegrationTests {

	/** The configured BCrypt cost: high enough that one check is far slower than a cost-4 one. */
	static final int COST = 10;

	static final int PER_ADDRESS = 30;

	static final int FAILED_PER_ACCOUNT = 25;

	static final Duration ADDRESS_WINDOW = Duration.ofMinutes(10);

	static final Duration ACCOUNT_WINDOW = Duration.ofMinutes(15);

	/** The stated bound after which a signed-out access token is refused everywhere. */
	static final Duration REVOCATION_BOUND = Duration.ofSeconds(1);

	static final String PUBLIC_BASE = "https://clara.example.test";

	static final JsonMapper JSON = JsonMapper.builder().build();

	static final AtomicInteger ADDRESSES = new AtomicInteger();

	static GreenMail smtp;

	static ConfigurableApplicationContext first;

	static ConfigurableApplicationContext second;

	static JdbcClient jdbc;

	@BeforeAll
	static void start() {
		smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
		smtp.start();
		first = startInstance();
		second = startInstance();
		jdbc = first.getBean(JdbcClient.class);
	}

	@AfterAll
	static void stop() {
		if (second != null) {
			second.close();
		}
		if (first != null) {
			first.close();
		}
		smtp.stop();
	}

	static ConfigurableApplicationContext startInstance() {
		return new SpringApplicationBuilder(ChatApiApplication.class).run("--server.port=0",
				"--spring.datasource.url=" + ChatApiDatabase.get().jdbcUrl(), "--spring.datasource.username=postgres",
				"--clara.openai.api-key=", "--clara.owner.jwt.secret=owner-accounts-test-jwt-secret-0123456789",
				"--clara.owner.bcrypt-strength=" + COST, "--clara.chat.trusted-proxies=127.0.0.1",
				"--clara.owner.accounts.throttle.per-address=" + PER_ADDRESS,
				"--clara.owner.accounts.throttle.address-window=" + ADDRESS_WINDOW.toMinutes() + "m",
				"--clara.owner.accounts.throttle.failed-sign-ins-per-account=" + FAILED_PER_ACCOUNT,
				"--clara.owner.accounts.throttle.account-window=" + ACCOUNT_WINDOW.toMinutes() + "m",
				"--clara.owner.accounts.revocation-check-cache=" + REVOCATION_BOUND.toMillis() + "ms",
				"--clara.owner.accounts.mail.smtp-host=127.0.0.1",
				"--clara.owner.accounts.mail.smtp-port=" + smtp.getSmtp().getPort(),
				"--clara.owner.accounts.mail.start-tls=false", "--clara.owner.accounts.mail.from=clara@example.test",
				"--clara.owner.accounts.mail.public-base-url=" + PUBLIC_BASE);
	}

	// ───────────────────────────── helpers ─────────────────────────────

	static String email() {
		return "acct-" + UUID.randomUUID() + "@example.test";
	}

	/** A client address no other test uses. */
	static String address() {
		int n = ADDRESSES.incrementAndGet();
		return "198.51." + (100 + n / 250) + "." + (n % 250 + 1);
	}

	static Reply send(ConfigurableApplicationContext instance, String from, String method, String path, String bearer,
			String json) {
		int port = Integer.parseInt(instance.getEnvironment().getProperty("local.server.port"));
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(60))
			.header("X-Forwarded-For", from)
			.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		return new ChatApiHttp(port).send(request.build());
	}

	static Reply post(ConfigurableApplicationContext instance, String from, String path, Object... body) {
		return send(instance, from, "POST", path, null, json(body));
	}

	static Reply signIn(ConfigurableApplicationContext instance, String from, String email, String password) {
		return post(instance, from, "/api/owner/auth/signin", "email", email, "password", password);
	}

	static String json(Object... keyValues) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < keyValues.length; i += 2) {
			map.put((String) keyValues[i], keyValues[i + 1]);
		}
		return JSON.writeValueAsString(map);
	}

	/** A confirmed account straight into the database, its password hashed at {@code cost}. */
	static UUID account(String email, String password, int cost) {
		return jdbc.sql("INSERT INTO auth.users (email, encrypted_password, email_confirmed_at) VALUES (:e, :h, now()) RETURNING id")
			.param("e", email)
			.param("h", new BCryptPasswordEncoder(cost).encode(password))
			.query(UUID.class)
			.single();
	}

	static String storedHash(String email) {
		return jdbc.sql("SELECT encrypted_password FROM auth.users WHERE email = :e").param("e", email)
			.query(String.class).single();
	}

	/** The mails GreenMail received for the address, waiting until there are {@code count}. */
	static List<String> mails(String to, int count) {
		return await().atMost(Duration.ofSeconds(20)).until(() -> {
			MimeMessage[] all = smtp.getReceivedMessages();
			return Arrays.stream(all).filter(m -> {
				try {
					return Arrays.stream(m.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().equals(to));
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}).map(m -> {
				try {
					return m.getSubject() + "\n" + m.getContent().toString();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}).toList();
		}, list -> list.size() >= count);
	}

	/** The path and query of the mail's link, which must start with the configured public base URL. */
	static String link(String mail) {
		Matcher link = Pattern.compile(Pattern.quote(PUBLIC_BASE) + "(/\\S+)").matcher(mail);
		assertThat(link.find()).as("a link to %s in: %s", PUBLIC_BASE, mail).isTrue();
		return link.group(1);
	}

	static String tokenOf(String mail) {
		Matcher token = Pattern.compile("[?&]token=([A-Za-z0-9_-]+)").matcher(link(mail));
		assertThat(token.find()).isTrue();
		return token.group(1);
	}

	static long window(Duration size) {
		return Instant.now().toEpochMilli() / size.toMillis();
	}

	static ConfigurableApplicationContext alternate(int i) {
		return i % 2 == 0 ? first : second;
	}

	// ───────────────────────────── throttling ─────────────────────────────

	@Test
	void failedSignInsOfOneAccountAreThrottledAcrossBothInstancesBeforeAnyPasswordCheck() {
		for (int attempt = 0;; attempt++) {
			String email = email();
			String password = "the right password";
			account(email, password, COST);
			long window = window(ACCOUNT_WINDOW);
			for (int i = 0; i < FAILED_PER_ACCOUNT; i++) {
				// a new address each time: the per-account budget, not the address's, is what stops
				assertThat(signIn(alternate(i), address(), email, "wrong password " + i).status()).isEqualTo(401);
			}
			Reply throttled = signIn(alternate(FAILED_PER_ACCOUNT), address(), email, "wrong password again");
			Reply rightPassword = signIn(alternate(FAILED_PER_ACCOUNT + 1), address(), email, password);
			if (window(ACCOUNT_WINDOW) != window && attempt < 2) {
				continue; // the attempts straddled two windows: again in a fresh one
			}
			assertThat(throttled.status()).isEqualTo(429);
			assertThat(throttled.header("Content-Type")).startsWith("application/problem+json");
			assertThat(Long.parseLong(throttled.header("Retry-After"))).isBetween(1L, ACCOUNT_WINDOW.toSeconds());
			// locked: even the right password is refused, without being checked
			assertThat(rightPassword.status()).isEqualTo(429);
			assertThat(rightPassword.header("Retry-After")).isNotNull();
			return;
		}
	}

	@Test
	void oneClientIsThrottledAcrossBothInstancesAndAnIpv6ClientByIts64() {
		for (int attempt = 0;; attempt++) {
			String prefix = "2001:db8:" + Integer.toHexString(4096 + ADDRESSES.incrementAndGet()) + ":1:";
			long window = window(ADDRESS_WINDOW);
			for (int i = 0; i < PER_ADDRESS; i++) {
				// every request from another address of the same /64
				Reply refused = post(alternate(i), prefix + Integer.toHexString(i + 1) + ":0:0:1",
						"/api/owner/auth/refresh", "refresh_token", "made-up-" + i);
				assertThat(refused.status()).isEqualTo(401);
			}
			Reply throttled = post(alternate(PER_ADDRESS), prefix + "ffff:0:0:1", "/api/owner/auth/signin", "email",
					email(), "password", "whatever it is");
			if (window(ADDRESS_WINDOW) != window && attempt < 2) {
				continue;
			}
			assertThat(throttled.status()).isEqualTo(429);
			assertThat(throttled.json().get("status").asInt()).isEqualTo(429);
			assertThat(Long.parseLong(throttled.header("Retry-After"))).isBetween(1L, ADDRESS_WINDOW.toSeconds());
			// another client is not affected
			assertThat(post(first, address(), "/api/owner/auth/refresh", "refresh_token", "made-up").status())
				.isEqualTo(401);
			return;
		}
	}

	// ───────────────────────────── uniform answers and timing ─────────────────────────────

	@Test
	void aCheaperHashIsReplacedByOneOfTheConfiguredCostOnSignIn() {
		String email = email();
		account(email, "an old password", 4);
		assertThat(PasswordCheck.cost(storedHash(email))).isEqualTo(4);
		assertThat(signIn(first, address(), email, "an old password").status()).isEqualTo(200);
		String upgraded = storedHash(email);
		assertThat(PasswordCheck.cost(upgraded)).isEqualTo(COST);
		assertThat(new BCryptPasswordEncoder().matches("an old password", upgraded)).isTrue();
		assertThat(signIn(second, address(), email, "an old password").status()).isEqualTo(200);
	}

	/**
	 * 20 interleaved sign-ins each for an unknown e-mail address and for a known account (whose
	 * hash has a lower cost, as accounts made before the cost was raised have) with a wrong
	 * password: their median durations differ by less than 25 % of the larger or 50 ms, whichever
	 * is larger. Unprotected, the known account answers after a cost-4 check (~1 ms) and the
	 * unknown one after a cost-10 check (tens of ms).
	 */
	@Test
	void unknownAddressesAndWrongPasswordsTakeTheSameTime() {
		String known = email();
		account(known, "the real password", 4);
		String unknown = email();
		signIn(first, address(), unknown, "warm up");
		signIn(first, address(), known, "warm up");
		long[] unknownNanos = new long[20];
		long[] knownNanos = new long[20];
		for (int i = 0; i < 20; i++) {
			// which goes first alternates, so that neither gains from the other's warm-up
			boolean unknownFirst = i % 2 == 0;
			Reply a = null;
			Reply b = null;
			for (int turn = 0; turn < 2; turn++) {
				boolean unknownNow = (turn == 0) == unknownFirst;
				long t = System.nanoTime();
				Reply reply = signIn(first, address(), unknownNow ? unknown : known, "wrong password " + i);
				long took = System.nanoTime() - t;
				if (unknownNow) {
					a = reply;
					unknownNanos[i] = took;
				}
				else {
					b = reply;
					knownNanos[i] = took;
				}
			}
			assertThat(a.status()).isEqualTo(401);
			assertThat(b.status()).isEqualTo(401);
			assertThat(b.json().get("detail").asString()).isEqualTo(a.json().get("detail").asString());
		}
		double unknownMs = median(unknownNanos) / 1e6;
		double knownMs = median(knownNanos) / 1e6;
		double bound = Math.max(0.25 * Math.max(unknownMs, knownMs), 50);
		assertThat(Math.abs(unknownMs - knownMs))
			.as("median sign-in: unknown e-mail %.1f ms, known e-mail with a wrong password %.1f ms", unknownMs, knownMs)
			.isLessThan(bound);
	}

	static double median(long[] values) {
		long[] sorted = values.clone();
		Arrays.sort(sorted);
		return (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2.0;
	}

	@Test
	void signingUpWithATakenAddressAnswersLikeANewSignUpAndMailsTheOwner() {
		String email = email();
		Reply created = post(first, address(), "/api/owner/auth/signup", "email", email, "password", "first password");
		Reply taken = post(second, address(), "/api/owner/auth/signup", "email", email, "password", "second password");
		Reply other = post(first, address(), "/api/owner/auth/signup", "email", email(), "password", "first password");
		assertThat(created.status()).isEqualTo(202);
		assertThat(taken.status()).isEqualTo(202);
		assertThat(taken.body()).isEqualTo(created.body()).isEqualTo(other.body());
		assertThat(created.json().has("access_token")).isFalse();
		assertThat(jdbc.sql("SELECT count(*) FROM auth.users WHERE lower(email) = :e").param("e", email)
			.query(Long.class).single()).isEqualTo(1);
		assertThat(new BCryptPasswordEncoder().matches("first password", storedHash(email))).isTrue();

		List<String> mails = mails(email, 2);
		assertThat(mails).anySatisfy(mail -> assertThat(mail).startsWith("Confirm your e-mail address"));
		assertThat(mails).anySatisfy(mail -> assertThat(mail).startsWith("Sign-up attempt with your e-mail address")
			.doesNotContain("token="));
	}

	// ───────────────────────────── confirmation ─────────────────────────────

	@Test
	void aNewAccountConfirmsItsAddressBeforeItSignsIn() {
		String email = email();
		String password = "a brand new password";
		assertThat(post(first, address(), "/api/owner/auth/signup", "email", email, "password", password).json()
			.get("confirmation_required").asBoolean()).isTrue();

		// a wrong password answers as for an unknown address; only the right one learns of the confirmation
		Reply wrong = signIn(first, address(), email, "not the password");
		Reply unknown = signIn(first, address(), email(), "not the password");
		assertThat(wrong.status()).isEqualTo(401);
		assertThat(wrong.body()).isEqualTo(unknown.body());
		Reply unconfirmed = signIn(second, address(), email, password);
		assertThat(unconfirmed.status()).isEqualTo(403);
		assertThat(unconfirmed.json().get("title").asString()).isEqualTo("Email not confirmed");
		assertThat(unconfirmed.json().has("access_token")).isFalse();

		String mail = mails(email, 1).get(0);
		String link = link(mail);
		assertThat(link).startsWith("/api/owner/auth/confirm?token=");
		assertThat(send(second, address(), "GET", link, null, null).status()).isEqualTo(200);
		assertThat(signIn(first, address(), email, password).status()).isEqualTo(200);
		// the link works once
		assertThat(send(first, address(), "GET", link, null, null).status()).isEqualTo(400);
	}

	// ───────────────────────────── password reset and change ─────────────────────────────

	@Test
	void aResetTokenWorksOnceAndExpiresAndSignsOutEverySession() {
		String email = email();
		UUID user = account(email, "the forgotten password", COST);
		Reply session = signIn(first, address(), email, "the forgotten password");
		String access = session.json().get("access_token").asString();
		String refresh = session.json().get("refresh_token").asString();
		assertThat(send(second, address(), "GET", "/api/owner/me", access, null).status()).isEqualTo(200);

		Reply asked = post(first, address(), "/api/owner/auth/recover", "email", email);
		Reply askedUnknown = post(second, address(), "/api/owner/auth/recover", "email", email());
		assertThat(asked.status()).isEqualTo(202);
		assertThat(askedUnknown.status()).isEqualTo(202);
		assertThat(asked.body()).isEqualTo(askedUnknown.body());
		String token = tokenOf(mails(email, 1).get(0));
		assertThat(jdbc.sql("SELECT count(*) FROM owner_account_tokens WHERE token_hash = :t").param("t", token)
			.query(Long.class).single()).as("stored hashed only").isZero();

		assertThat(post(second, address(), "/api/owner/auth/reset", "token", token, "password", "a remembered password")
			.status()).isEqualTo(204);
		assertThat(post(first, address(), "/api/owner/auth/reset", "token", token, "password", "yet another password")
			.status()).as("single use").isEqualTo(400);
		assertThat(signIn(first, address(), email, "the forgotten password").status()).isEqualTo(401);
		assertThat(signIn(second, address(), email, "a remembered password").status()).isEqualTo(200);
		assertThat(post(first, address(), "/api/owner/auth/refresh", "refresh_token", refresh).status()).isEqualTo(401);
		await().atMost(REVOCATION_BOUND.plusSeconds(4))
			.until(() -> send(second, address(), "GET", "/api/owner/me", access, null).status() == 401);

		// an expired token does nothing
		post(first, address(), "/api/owner/auth/recover", "email", email);
		String expiring = tokenOf(mails(email, 2).get(1));
		jdbc.sql("UPDATE owner_account_tokens SET expires_at = now() - interval '1 second' WHERE user_id = :u AND used_at IS NULL")
			.param("u", user).update();
		assertThat(post(first, address(), "/api/owner/auth/reset", "token", expiring, "password", "too late password")
			.status()).isEqualTo(400);
		assertThat(signIn(first, address(), email, "a remembered password").status()).isEqualTo(200);
	}

	@Test
	void changingThePasswordSignsOutTheOtherSessions() {
		String email = email();
		account(email, "the current password", COST);
		Reply here = signIn(first, address(), email, "the current password");
		Reply elsewhere = signIn(second, address(), email, "the current password");
		String access = here.json().get("access_token").asString();
		String otherAccess = elsewhere.json().get("access_token").asString();
		assertThat(send(second, address(), "GET", "/api/owner/me", otherAccess, null).status()).isEqualTo(200);

		Reply wrong = send(first, address(), "POST", "/api/owner/auth/password", access,
				json("current_password", "not the password", "new_password", "the next password"));
		assertThat(wrong.status()).isEqualTo(400);
		assertThat(wrong.json().get("field_errors").has("current_password")).isTrue();
		assertThat(send(first, address(), "POST", "/api/owner/auth/password", null,
				json("current_password", "the current password", "new_password", "the next password")).status())
			.isEqualTo(401);

		assertThat(send(second, address(), "POST", "/api/owner/auth/password", access,
				json("current_password", "the current password", "new_password", "the next password")).status())
			.isEqualTo(204);
		assertThat(signIn(first, address(), email, "the current password").status()).isEqualTo(401);
		assertThat(signIn(first, address(), email, "the next password").status()).isEqualTo(200);
		// this session goes on; the other one is signed out, its access token within the bound
		assertThat(post(first, address(), "/api/owner/auth/refresh", "refresh_token",
				here.json().get("refresh_token").asString()).status()).isEqualTo(200);
		assertThat(post(first, address(), "/api/owner/auth/refresh", "refresh_token",
				elsewhere.json().get("refresh_token").asString()).status()).isEqualTo(401);
		await().atMost(REVOCATION_BOUND.plusSeconds(4))
			.until(() -> send(second, address(), "GET", "/api/owner/me", otherAccess, null).status() == 401);
		assertThat(send(first, address(), "GET", "/api/owner/me", access, null).status()).isEqualTo(200);
	}

	// ───────────────────────────── sign-out ─────────────────────────────

	@Test
	void aSignedOutAccessTokenIsRefusedWithinTheBoundOnEveryInstance() {
		String email = email();
		account(email, "a session password", COST);
		Reply session = signIn(first, address(), email, "a session password");
		String access = session.json().get("access_token").asString();
		// the other instance has seen the session signed in (and may believe it for the bound)
		assertThat(send(second, address(), "GET", "/api/owner/me", access, null).status()).isEqualTo(200);

		assertThat(post(first, address(), "/api/owner/auth/signout", "refresh_token",
				session.json().get("refresh_token").asString()).status()).isEqualTo(204);
		// at once where it was signed out
		assertThat(send(first, address(), "GET", "/api/owner/me", access, null).status()).isEqualTo(401);
		long signedOut = System.nanoTime();
		await().atMost(REVOCATION_BOUND.plusSeconds(4)).pollInterval(Duration.ofMillis(100))
			.until(() -> send(second, address(), "GET", "/api/owner/me", access, null).status() == 401);
		assertThat(Duration.ofNanos(System.nanoTime() - signedOut)).isLessThan(REVOCATION_BOUND.plusSeconds(2));
	}

}
