package dev.clara.chat.owner.browser;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import dev.clara.chat.ChatApiApplication;
import dev.clara.chat.ChatApiDatabase;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * A chat-api instance of its own for the browser-session tests: access tokens that expire after
 * {@link #ACCESS_TTL} (no clock skew), so a refresh can be watched; behind a "proxy" (127.0.0.1,
 * {@code server.forward-headers-strategy=native}) so that a test can say it came over HTTPS and
 * from a client address of its own. Started once per test JVM.
 */
final class SessionServer {

	static final String JWT_SECRET = "browser-session-test-jwt-secret-0123456789";

	static final Duration ACCESS_TTL = Duration.ofSeconds(2);

	static final int PER_ADDRESS = 12;

	static final AtomicInteger ADDRESSES = new AtomicInteger();

	private static ConfigurableApplicationContext instance;

	private SessionServer() {
	}

	static synchronized ConfigurableApplicationContext start(String... extra) {
		if (instance == null) {
			List<String> args = new ArrayList<>(List.of("--server.port=0",
					"--spring.datasource.url=" + ChatApiDatabase.get().jdbcUrl(), "--spring.datasource.username=postgres",
					"--clara.openai.api-key=", "--clara.owner.jwt.secret=" + JWT_SECRET,
					"--clara.owner.jwt.access-token-ttl=" + ACCESS_TTL.toMillis() + "ms",
					"--clara.owner.jwt.clock-skew=0s", "--clara.owner.bcrypt-strength=4",
					"--server.forward-headers-strategy=native", "--clara.chat.trusted-proxies=127.0.0.1",
					"--clara.owner.accounts.throttle.per-address=" + PER_ADDRESS,
					"--clara.owner.accounts.revocation-check-cache=0s"));
			args.addAll(List.of(extra));
			instance = new SpringApplicationBuilder(ChatApiApplication.class).run(args.toArray(String[]::new));
			ConfigurableApplicationContext started = instance;
			Runtime.getRuntime().addShutdownHook(new Thread(started::close));
		}
		return instance;
	}

	static int port() {
		return Integer.parseInt(instance.getEnvironment().getProperty("local.server.port"));
	}

	static JdbcClient jdbc() {
		return instance.getBean(JdbcClient.class);
	}

	/** A client address no other test uses. */
	static String address() {
		int n = ADDRESSES.incrementAndGet();
		return "203.0." + (113 + n / 250) + "." + (n % 250 + 1);
	}

	static BrowserClient browser() {
		return new BrowserClient(port(), address());
	}

	/** A confirmed standalone account (its workspace made by the database's trigger). */
	record Account(UUID id, UUID workspaceId, String email, String password) {
	}

	static Account account() {
		String email = "browser-" + UUID.randomUUID() + "@example.test";
		String password = "a good password " + UUID.randomUUID();
		UUID id = jdbc()
			.sql("INSERT INTO auth.users (email, encrypted_password, email_confirmed_at) VALUES (:e, :h, now()) RETURNING id")
			.param("e", email)
			.param("h", new BCryptPasswordEncoder(4).encode(password))
			.query(UUID.class)
			.single();
		UUID workspace = jdbc().sql("SELECT id FROM workspaces WHERE owner_id = :id").param("id", id).query(UUID.class)
			.single();
		return new Account(id, workspace, email, password);
	}

	static String workspaceName(UUID workspace) {
		return jdbc().sql("SELECT name FROM workspaces WHERE id = :id").param("id", workspace).query(String.class).single();
	}

}
