package dev.clara.oidctest;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * A real OpenID Connect provider for chat-api's sign-in tests: Spring Authorization Server as
 * Spring Boot configures it (discovery, JWKS with a key made at start-up, authorization code with
 * PKCE, a form login), its client registered by {@code spring.security.oauth2.authorizationserver.*}
 * arguments. Users come from {@code --oidc-test.users=name|password|email|verified;…}; their ID
 * tokens carry {@code email} and {@code email_verified}.
 */
@SpringBootApplication
public class OidcTestServer {

	record TestUser(String name, String password, String email, boolean verified) {
	}

	public static void main(String[] args) {
		SpringApplication.run(OidcTestServer.class, args);
	}

	@Bean
	Map<String, TestUser> testUsers(@Value("${oidc-test.users}") String users) {
		return Arrays.stream(users.split(";"))
			.map(user -> user.split("\\|"))
			.map(p -> new TestUser(p[0], p[1], p[2], Boolean.parseBoolean(p[3])))
			.collect(Collectors.toMap(TestUser::name, Function.identity()));
	}

	@Bean
	UserDetailsService users(Map<String, TestUser> testUsers) {
		return new InMemoryUserDetailsManager(testUsers.values()
			.stream()
			.map(user -> User.withUsername(user.name()).password("{noop}" + user.password()).roles("USER").build())
			.toList());
	}

	@Bean
	OAuth2TokenCustomizer<JwtEncodingContext> emailClaims(Map<String, TestUser> testUsers) {
		return context -> {
			TestUser user = testUsers.get(context.getPrincipal().getName());
			if (user != null && OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
				context.getClaims().claim("email", user.email()).claim("email_verified", user.verified());
			}
		};
	}

}
