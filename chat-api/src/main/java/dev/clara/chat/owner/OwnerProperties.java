package dev.clara.chat.owner;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the owner API ({@code /api/owner/**}).
 *
 * @param jwt how owners' bearer tokens are verified and (standalone sign-in) issued
 * @param signupEnabled whether {@code POST /api/owner/auth/signup} creates accounts
 * @param bcryptStrength log2 rounds of the BCrypt password hash
 * @param maxJsonBytes largest JSON request body of an owner endpoint
 * @param statementTimeout longest one SQL statement of an owner request may run
 * @param csv limits of the CSV import
 * @param assets limits of avatar and chat icon uploads
 * @param documents limits of document uploads
 * @param transcripts limits of support transcript uploads
 */
@ConfigurationProperties("clara.owner")
public record OwnerProperties(@DefaultValue Jwt jwt, @DefaultValue("true") boolean signupEnabled,
		@DefaultValue("12") int bcryptStrength, @DefaultValue("256KB") DataSize maxJsonBytes,
		@DefaultValue("15s") Duration statementTimeout, @DefaultValue Csv csv, @DefaultValue Assets assets,
		@DefaultValue Documents documents, @DefaultValue Transcripts transcripts) {

	/**
	 * @param secret the HS256 secret ({@code CLARA_JWT_SECRET}; Supabase's "JWT secret"), at
	 * least 32 bytes; blank = no HS256 tokens (and no standalone sign-in)
	 * @param jwksUrl a JWKS URL for asymmetric tokens (RS256/ES256), e.g. Supabase's
	 * {@code https://PROJECT.supabase.co/auth/v1/.well-known/jwks.json}; blank = none
	 * @param audience the {@code aud} every token must carry
	 * @param issuer the {@code iss} tokens must carry when set, and that issued tokens carry
	 * @param accessTokenTtl lifetime of the access tokens sign-in issues
	 * @param refreshTokenTtl lifetime of a refresh token (each refresh issues a new one)
	 * @param clockSkew tolerance for {@code exp}/{@code nbf}
	 */
	public record Jwt(String secret, String jwksUrl, @DefaultValue("authenticated") String audience, String issuer,
			@DefaultValue("1h") Duration accessTokenTtl, @DefaultValue("30d") Duration refreshTokenTtl,
			@DefaultValue("30s") Duration clockSkew) {

		public boolean hasSecret() {
			return this.secret != null && !this.secret.isBlank();
		}

		public boolean hasJwks() {
			return this.jwksUrl != null && !this.jwksUrl.isBlank();
		}

		public boolean hasIssuer() {
			return this.issuer != null && !this.issuer.isBlank();
		}

		@Override
		public String toString() {
			return "Jwt[secret=" + (hasSecret() ? "(set)" : "(none)") + ", jwksUrl=" + this.jwksUrl + ", audience="
					+ this.audience + "]";
		}

	}

	/**
	 * @param maxBytes largest CSV file accepted
	 * @param maxRows most data records one file may hold
	 * @param batchSize records written per transaction
	 * @param maxQuestionChars longest question
	 * @param maxAnswerChars longest answer
	 * @param maxCategoryChars longest category
	 * @param staleAfter a queued or running job whose progress has not moved for this long is
	 * reported as interrupted (its replica stopped); uploading the file again finishes it
	 */
	public record Csv(@DefaultValue("20MB") DataSize maxBytes, @DefaultValue("100000") int maxRows,
			@DefaultValue("500") int batchSize, @DefaultValue("1000") int maxQuestionChars,
			@DefaultValue("10000") int maxAnswerChars, @DefaultValue("50") int maxCategoryChars,
			@DefaultValue("5m") Duration staleAfter) {
	}

	/**
	 * @param maxBytes largest avatar or icon
	 * @param bucket the storage bucket of avatars and chat icons
	 */
	public record Assets(@DefaultValue("1MB") DataSize maxBytes, @DefaultValue("chatbot-assets") String bucket) {
	}

	/**
	 * @param maxBytes largest document file accepted (the storage shim holds at most 64 MiB)
	 * @param bucket the private storage bucket of documents' original files
	 * @param maxTitleChars longest title
	 */
	public record Documents(@DefaultValue("50MB") DataSize maxBytes, @DefaultValue("documents") String bucket,
			@DefaultValue("200") int maxTitleChars) {
	}

	/**
	 * @param maxBytes largest transcript file accepted (UTF-8 text or JSON)
	 * @param maxTitleChars longest title
	 * @param maxExchanges most customer-question-and-agent-answer exchanges one transcript may hold
	 * @param maxLlmExchanges transcripts with more exchanges than this are proposed extractively,
	 * without the LLM, so one upload never sends more than a few requests to the provider
	 */
	public record Transcripts(@DefaultValue("1MB") DataSize maxBytes, @DefaultValue("200") int maxTitleChars,
			@DefaultValue("500") int maxExchanges, @DefaultValue("100") int maxLlmExchanges) {
	}

}
