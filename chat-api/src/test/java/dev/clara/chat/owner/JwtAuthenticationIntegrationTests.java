package dev.clara.chat.owner;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import dev.clara.chat.ChatApiHttp.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Which bearer tokens the owner API accepts, and that public paths stay public. */
class JwtAuthenticationIntegrationTests extends OwnerIntegrationTest {

	static Stream<Arguments> badTokens() {
		UUID user = UUID.randomUUID();
		Map<String, Object> expired = claims(user, "a@example.test");
		expired.put("exp", Instant.now().minus(Duration.ofMinutes(5)).getEpochSecond());
		Map<String, Object> wrongAudience = claims(user, "a@example.test");
		wrongAudience.put("aud", "some-other-api");
		Map<String, Object> noSubject = claims(user, "a@example.test");
		noSubject.remove("sub");
		Map<String, Object> noExpiry = claims(user, "a@example.test");
		noExpiry.remove("exp");
		Map<String, Object> notAUser = claims(user, "a@example.test");
		notAUser.put("sub", "admin");
		String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes());
		String payload = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(JSON.writeValueAsString(claims(user, "a@example.test")).getBytes());
		String valid = jwt(claims(user, "a@example.test"));
		String[] parts = valid.split("\\.");
		char last = parts[2].charAt(0);
		String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
			.encodeToString(JSON.writeValueAsString(Map.of("sub", UUID.randomUUID().toString(), "role", "authenticated",
					"aud", "authenticated", "exp", Instant.now().plusSeconds(600).getEpochSecond())).getBytes())
				+ "." + parts[2];
		return Stream.of(Arguments.of("expired", jwt(expired)),
				Arguments.of("signed with another secret", jwt(claims(user, "a@example.test"), "another-secret-of-at-least-32-bytes-long!")),
				Arguments.of("alg none", header + "." + payload + "."),
				Arguments.of("alg none with a signature", header + "." + payload + "." + parts[2]),
				Arguments.of("wrong audience", jwt(wrongAudience)), Arguments.of("missing sub", jwt(noSubject)),
				Arguments.of("missing exp", jwt(noExpiry)), Arguments.of("sub is not a user id", jwt(notAUser)),
				Arguments.of("payload swapped under a valid signature", tampered),
				Arguments.of("not a JWT", "hello"), Arguments.of("unknown API key", "clara_" + "x".repeat(43)),
				Arguments.of("garbage with dots", "a.b.c" + last));
	}

	@ParameterizedTest(name = "{0} -> 401")
	@MethodSource("badTokens")
	void badTokensAreUnauthorized(String what, String token) {
		Owner owner = owner();
		Reply reply = get(token, "/api/owner/workspace");
		assertThat(reply.status()).as(what).isEqualTo(401);
		assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
		assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer");
		assertThat(reply.json().get("status").asInt()).isEqualTo(401);
		assertThat(reply.body()).doesNotContain(token).doesNotContain("Exception");
		assertThat(get(owner.token(), "/api/owner/workspace").status()).isEqualTo(200);
	}

	@Test
	void noTokenIsUnauthorized() {
		Reply reply = get(null, "/api/owner/workspace");
		assertThat(reply.status()).isEqualTo(401);
		assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
		assertThat(send(null, "GET", "/api/owner/qa-pairs", null).status()).isEqualTo(401);
		assertThat(post(null, "/api/owner/llm-keys", "{}").status()).isEqualTo(401);
	}

	@Test
	void encodedOrDecoratedOwnerPathsAreNotAWayAround() {
		for (String path : new String[] { "/api/%6Fwner/workspace", "/api/owner;x=1/workspace",
				"/api/owner/auth/signup/../../workspace", "/api/owner//workspace", "/api/owner/qa-pairs/" }) {
			Reply reply = get(null, path);
			assertThat(reply.status()).as(path).isIn(400, 401, 404);
			assertThat(reply.body()).as(path).doesNotContain("\"settings\"").doesNotContain("\"items\"");
		}
	}

	@Test
	void serviceRoleAndAnonTokensAreRefused() {
		Owner owner = owner();
		Map<String, Object> service = claims(owner.userId(), owner.email());
		service.put("role", "service_role");
		Reply reply = get(jwt(service), "/api/owner/workspace");
		assertThat(reply.status()).isEqualTo(403);
		assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
		// Supabase's service_role key: no sub, no aud
		Reply key = get(jwt(Map.of("role", "service_role", "iss", "supabase", "exp",
				Instant.now().plusSeconds(600).getEpochSecond())), "/api/owner/qa-pairs");
		assertThat(key.status()).isEqualTo(403);
		Map<String, Object> anon = claims(owner.userId(), owner.email());
		anon.put("role", "anon");
		assertThat(get(jwt(anon), "/api/owner/workspace").status()).isEqualTo(403);
	}

	@Test
	void aValidTokenNamesItsOwner() {
		Owner owner = owner();
		Reply me = get(owner.token(), "/api/owner/me");
		assertThat(me.status()).isEqualTo(200);
		assertThat(me.json().get("id").asString()).isEqualTo(owner.userId().toString());
		assertThat(me.json().get("authenticated_with").asString()).isEqualTo("jwt");
		Reply workspace = get(owner.token(), "/api/owner/workspace");
		assertThat(workspace.json().get("id").asString()).isEqualTo(owner.workspaceId().toString());
	}

	@Test
	void aValidTokenOfAUserWithoutWorkspaceFindsNothing() {
		UUID stranger = UUID.randomUUID();
		Reply reply = get(jwt(claims(stranger, "nobody@example.test")), "/api/owner/workspace");
		assertThat(reply.status()).isEqualTo(404);
		assertThat(get(jwt(claims(stranger, "nobody@example.test")), "/api/owner/qa-pairs").json().get("total").asInt())
			.isZero();
	}

	@Test
	void publicPathsNeedNoToken() {
		assertThat(get(null, "/actuator/health").status()).isEqualTo(200);
		assertThat(get(null, "/").status()).isEqualTo(200);
		assertThat(get(null, "/api/owner/openapi.json").status()).isEqualTo(200);
		// the public chat API answers on its own terms (400 for an empty body), not 401
		assertThat(post(null, "/api/chat", "{}").status()).isEqualTo(400);
	}

	@Test
	void thePublicPortShowsHealthStatusAndNoOtherManagementEndpoint() {
		// the status (and the probe groups' names), never the components or their details
		assertThat(get(null, "/actuator/health").json().propertyNames()).contains("status")
			.doesNotContain("components", "details");
		for (String endpoint : new String[] { "/actuator/metrics", "/actuator/metrics/jvm.memory.used", "/actuator/env",
				"/actuator/info", "/actuator/beans", "/actuator/health/db" }) {
			assertThat(get(null, endpoint).status()).as(endpoint).isEqualTo(404);
		}
	}

}
