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
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The servers of the owner-account tests, started once per test JVM and shared by their classes:
 * two chat-api instances on one database (two replicas behind a load balancer) and GreenMail as
 * the SMTP server whose mails are read back and whose links are used. Each test comes from client
 * addresses of its own (the instances trust 127.0.0.1 as a proxy and believe
 * {@code X-Forwarded-For}), so budgets do not mix between tests.
 */
final class AccountServers {

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

	private AccountServers() {
	}

	static synchronized void start() {
		if (first != null) {
			return;
		}
		smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
		smtp.start();
		first = startInstance();
		second = startInstance();
		jdbc = first.getBean(JdbcClient.class);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			second.close();
			first.close();
			smtp.stop();
		}));
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

}
