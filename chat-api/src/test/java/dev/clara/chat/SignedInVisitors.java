package dev.clara.chat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.clara.chat.ChatApiHttp.Reply;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** What a site's server does for its signed-in users (sign their id), and their chat requests. */
public final class SignedInVisitors {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ChatApiHttp http;

	public SignedInVisitors(ChatApiHttp http) {
		this.http = http;
	}

	/** HMAC-SHA256(secret, user id) in hex, as the docs tell a site to compute it. */
	public static String hmac(String secret, String userId) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return HexFormat.of().formatHex(mac.doFinal(userId.getBytes(StandardCharsets.UTF_8)));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** An HS256 user token with a name and a plan trait. */
	public static String jwt(String secret, String subject, Instant expires) {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject(subject)
				.expirationTime(Date.from(expires))
				.claim("name", "Token User")
				.claim("traits", Map.of("plan", "team"))
				.build());
			jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
			return jwt.serialize();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The body's {@code user} object of the hash form. */
	public static ObjectNode user(String id, String hash) {
		return JSON.createObjectNode().put("id", id).put("hash", hash);
	}

	public Reply chat(UUID workspace, String token, String content, ObjectNode user) {
		ObjectNode body = (ObjectNode) JSON.readTree(ChatApiHttp.body(workspace, token, UUID.randomUUID(), content));
		body.set("user", user);
		return this.http.post("/api/chat", body.toString());
	}

	/** A public request with the identity headers (and the session header when a token is given). */
	public Reply send(String method, String pathAndQuery, String sessionToken, String userId, String hash) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.http.baseUrl() + pathAndQuery))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.header("X-Clara-User", userId)
			.header("X-Clara-User-Hash", hash);
		if (sessionToken != null) {
			request.header("X-Clara-Session-Token", sessionToken);
		}
		return this.http.send(request.build());
	}

}
