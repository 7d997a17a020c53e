package dev.clara.chat;

import java.util.Base64;

import dev.clara.shared.embedding.EmbeddingProvider;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Points a chat-api under test at the test database and counts its embedding calls. */
@TestConfiguration(proxyBeanMethods = false)
public class ChatApiTestConfiguration {

	/** A master key made for the tests only. */
	public static final String MASTER_KEY = Base64.getEncoder().encodeToString(new byte[32]);

	/** Wraps the service's own provider, so tests count the calls the service really makes. */
	@Bean
	static BeanPostProcessor countEmbeddingCalls() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				return bean instanceof EmbeddingProvider provider && !(bean instanceof CountingEmbeddingProvider)
						? new CountingEmbeddingProvider(provider) : bean;
			}
		};
	}

	/** Where visitors would reach the API: not the test's own address, so no URL can come from a Host header. */
	public static final String PUBLIC_BASE_URL = "https://chat.clara.test";

	/** Where the servlet container writes uploaded parts, so tests can watch what lands on disk. */
	public static final java.nio.file.Path MULTIPART_DIR = multipartDir();

	private static java.nio.file.Path multipartDir() {
		try {
			return java.nio.file.Files.createTempDirectory("chat-api-parts");
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	public static void register(DynamicPropertyRegistry registry, FakeOpenAiServer llm) {
		registry.add("spring.datasource.url", () -> ChatApiDatabase.get().jdbcUrl());
		registry.add("spring.datasource.username", () -> "postgres");
		registry.add("clara.openai.api-key", () -> "");
		registry.add("clara.openai.workspace-open-ai-url", llm::baseUrl);
		registry.add("clara.openai.workspace-anthropic-url", llm::baseUrl);
		registry.add("clara.master-keys.keys", () -> "test-1:" + MASTER_KEY);
		registry.add("clara.master-keys.current", () -> "test-1");
		registry.add("clara.chat.completion-timeout", () -> "3s");
		registry.add("clara.chat.rate-limit.per-ip", () -> "100000");
		registry.add("clara.chat.rate-limit.per-session", () -> "100000");
		registry.add("clara.chat.rate-limit.per-workspace", () -> "100000");
		registry.add("clara.chat.rate-limit.per-network", () -> "100000");
		registry.add("clara.chat.rate-limit.reads-per-ip", () -> "100000");
		registry.add("clara.chat.public-base-url", () -> PUBLIC_BASE_URL);
		registry.add("spring.servlet.multipart.location", () -> MULTIPART_DIR.toString());
		registry.add("clara.owner.jwt.secret", () -> "owner-api-test-jwt-secret-0123456789abcdef");
		registry.add("clara.owner.bcrypt-strength", () -> "4");
		// every test request comes from 127.0.0.1: the per-address budget is tested on its own
		registry.add("clara.owner.accounts.throttle.per-address", () -> "100000");
	}

}
